using EvidenceApi.Citations;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using FluentValidation;

namespace EvidenceApi.Findings;

/// <summary>The synthesis a finding comes from.</summary>
/// <param name="Doi">Its DOI (`10.NNNN/...`; a doi.org link is accepted).</param>
/// <param name="Title">Its title.</param>
/// <param name="Year">Year of publication.</param>
public sealed record SynthesisRequest(string Doi, string Title, int Year);

/// <summary>A new finding: transcribed from the synthesis itself, never from memory.</summary>
/// <param name="Synthesis">The report or systematic review.</param>
/// <param name="Locator">Where in it: a conclusion number, or a review's section and outcome.</param>
/// <param name="Statement">The conclusion in the synthesis's own words.</param>
/// <param name="Cannabinoids">Intervention slugs (at least one).</param>
/// <param name="Outcome">Outcome slug.</param>
/// <param name="Direction">benefit, harm, no-effect or mixed.</param>
/// <param name="Level">The synthesis's level for the statement: nasem-2017 (conclusive … insufficient) or grade (high … very-low).</param>
/// <param name="Conditions">Condition slugs; empty or absent when it is about an effect on anyone.</param>
/// <param name="Population">Population slug (default unspecified).</param>
/// <param name="Note">Editors' note.</param>
/// <param name="VerifiedIn">Where it was checked against the synthesis (addresses of public copies), at most 20.</param>
[RequestExample("""
    {
      "synthesis": { "doi": "10.17226/24625", "title": "The Health Effects of Cannabis and Cannabinoids", "year": 2017 },
      "locator": "4-1",
      "statement": "There is substantial evidence that cannabis is an effective treatment for chronic pain in adults.",
      "conditions": ["chronic-pain"],
      "cannabinoids": ["whole-plant-cannabis", "cannabinoids"],
      "population": "adults",
      "outcome": "pain",
      "direction": "benefit",
      "level": { "scheme": "nasem-2017", "value": "substantial" }
    }
    """)]
public sealed record CreateFindingRequest(SynthesisRequest Synthesis, string Locator, string Statement, IReadOnlyList<string> Cannabinoids,
    string Outcome, Direction Direction, CitationGrade Level, IReadOnlyList<string>? Conditions = null, string? Population = null,
    string? Note = null, IReadOnlyList<string>? VerifiedIn = null) : IFindingFields;

/// <summary>Changes to a finding: give only what changes (absent or null stays as it is).</summary>
/// <param name="Synthesis">The synthesis (all three parts).</param>
/// <param name="Locator">Locator.</param>
/// <param name="Statement">Statement.</param>
/// <param name="Conditions">Condition slugs (replaces the list; `[]` for none).</param>
/// <param name="Cannabinoids">Intervention slugs (replaces the list).</param>
/// <param name="Population">Population slug.</param>
/// <param name="Outcome">Outcome slug.</param>
/// <param name="Direction">Direction.</param>
/// <param name="Level">Level.</param>
/// <param name="Note">Note.</param>
/// <param name="VerifiedIn">Where it was checked (replaces the list).</param>
[RequestExample("""{ "note": "Most trials were of nabiximols." }""")]
public sealed record EditFindingRequest(SynthesisRequest? Synthesis = null, string? Locator = null, string? Statement = null,
    IReadOnlyList<string>? Conditions = null, IReadOnlyList<string>? Cannabinoids = null, string? Population = null, string? Outcome = null,
    Direction? Direction = null, CitationGrade? Level = null, string? Note = null, IReadOnlyList<string>? VerifiedIn = null) : IFindingFields;

/// <summary>Why a finding is retired.</summary>
/// <param name="Reason">Shown on the finding and kept in its history.</param>
[RequestExample("""{ "reason": "Superseded by the review's 2025 update." }""")]
public sealed record RetireFindingRequest(string Reason);

public interface IFindingFields
{
    SynthesisRequest? Synthesis { get; }
    string? Locator { get; }
    string? Statement { get; }
    IReadOnlyList<string>? Conditions { get; }
    IReadOnlyList<string>? Cannabinoids { get; }
    string? Population { get; }
    string? Outcome { get; }
    CitationGrade? Level { get; }
    string? Note { get; }
    IReadOnlyList<string>? VerifiedIn { get; }
}

/// <summary>The shape of finding fields that are given; whether terms exist is checked against the vocabularies.</summary>
public sealed class FindingFieldsValidator : AbstractValidator<IFindingFields>
{
    public FindingFieldsValidator()
    {
        When(f => f.Synthesis is not null, () =>
        {
            RuleFor(f => f.Synthesis!.Doi).NotEmpty().MaximumLength(300)
                .Must(doi => CitationIdentifiers.Normalise(CitationKind.Doi, doi) is not null)
                .WithMessage("'{PropertyValue}' is not a DOI (10.NNNN/...).").OverridePropertyName("synthesis.doi");
            RuleFor(f => f.Synthesis!.Title).NotEmpty().MaximumLength(1000).OverridePropertyName("synthesis.title");
            RuleFor(f => f.Synthesis!.Year).InclusiveBetween(1900, DateTime.UtcNow.Year + 1).OverridePropertyName("synthesis.year");
        });
        RuleFor(f => f.Locator).MaximumLength(200).Must(l => l is null || l.Trim().Length > 0).WithMessage("The locator may not be empty.");
        RuleFor(f => f.Statement).MaximumLength(4000).Must(s => s is null || s.Trim().Length > 0).WithMessage("The statement may not be empty.");
        RuleFor(f => f.Conditions).Must(c => c is null || c.Count <= 20).WithMessage("At most 20 conditions.");
        RuleForEach(f => f.Conditions).NotEmpty().MaximumLength(100);
        RuleFor(f => f.Cannabinoids).Must(c => c is null || c.Count is >= 1 and <= 20).WithMessage("Between 1 and 20 cannabinoids.");
        RuleForEach(f => f.Cannabinoids).NotEmpty().MaximumLength(100);
        RuleFor(f => f.Population).MaximumLength(100);
        RuleFor(f => f.Outcome).MaximumLength(100);
        RuleFor(f => f.Note).MaximumLength(4000);
        RuleFor(f => f.VerifiedIn).Must(v => v is null || v.Count <= 20).WithMessage("At most 20 places.");
        RuleForEach(f => f.VerifiedIn).NotEmpty().MaximumLength(2000);
        When(f => f.Level is not null, () =>
        {
            RuleFor(f => f.Level!.Scheme).IsInEnum().OverridePropertyName("level.scheme");
            RuleFor(f => f.Level!.Value).MustBeValueOf(f => f.Level!.Scheme).OverridePropertyName("level.value");
        });
    }
}

public sealed class CreateFindingRequestValidator : AbstractValidator<CreateFindingRequest>
{
    public CreateFindingRequestValidator()
    {
        RuleFor(f => f.Synthesis).NotNull();
        RuleFor(f => f.Locator).NotEmpty();
        RuleFor(f => f.Statement).NotEmpty();
        RuleFor(f => f.Cannabinoids).NotNull();
        RuleFor(f => f.Outcome).NotEmpty();
        RuleFor(f => f.Direction).IsInEnum();
        RuleFor(f => f.Level).NotNull();
        Include(new FindingFieldsValidator());
    }
}

public sealed class EditFindingRequestValidator : AbstractValidator<EditFindingRequest>
{
    public EditFindingRequestValidator()
    {
        RuleFor(f => f.Direction).IsInEnum();
        Include(new FindingFieldsValidator());
    }
}

public sealed class RetireFindingRequestValidator : AbstractValidator<RetireFindingRequest>
{
    public RetireFindingRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}
