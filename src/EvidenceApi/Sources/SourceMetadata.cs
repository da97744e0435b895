using EvidenceApi.Citations;
using EvidenceApi.Claims;
using FluentValidation;

namespace EvidenceApi.Sources;

/// <summary>The metadata of a source an editor writes, on add and on edit.</summary>
public interface ISourceMetadata
{
    string? Title { get; }
    SourceKind? Kind { get; }
    string? Url { get; }
    string? Doi { get; }
    string? Publisher { get; }
    IReadOnlyList<string>? Authors { get; }
    DateOnly? PublishedOn { get; }
}

public sealed class SourceMetadataValidator : AbstractValidator<ISourceMetadata>
{
    public SourceMetadataValidator()
    {
        RuleFor(s => s.Title).Must(t => t is null || t.Trim().Length is >= 1 and <= 500).WithMessage("A title has 1–500 characters.");
        RuleFor(s => s.Kind).IsInEnum();
        RuleFor(s => s.Url).MaximumLength(2000)
            .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            .WithMessage("The URL must be absolute http(s).");
        RuleFor(s => s.Doi).Must(d => d is null || CitationIdentifiers.Normalise(CitationKind.Doi, d) == d)
            .WithMessage("A DOI is 10.NNNN/… without a resolver (e.g. 10.17226/24625).");
        RuleFor(s => s.Publisher).MaximumLength(300);
        RuleFor(s => s.Authors).Must(a => a is null || a.Count <= 50).WithMessage("At most 50 authors.");
        RuleForEach(s => s.Authors).Must(a => a is not null && a.Trim().Length is >= 1 and <= 200).WithMessage("An author has 1–200 characters.");
        RuleFor(s => s.PublishedOn).Must(d => d is null || (d.Value.Year >= 1800 && d.Value <= DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1)))
            .WithMessage("The publication date must be a real past date.");
    }
}
