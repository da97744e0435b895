using EvidenceApi.Infrastructure;
using FluentValidation;

namespace EvidenceApi.Vocabularies;

/// <summary>What an admin writes of a term: everything but its slug.</summary>
public interface ITermFields
{
    string? Label { get; }
    string? Definition { get; }
    IReadOnlyList<string>? Synonyms { get; }
    IReadOnlyList<Coding>? Codings { get; }
    IReadOnlyList<string>? Broader { get; }
}

/// <summary>A new term.</summary>
/// <param name="Slug">Lower-case words joined by hyphens; never changes once created.</param>
/// <param name="Label">Human-readable name.</param>
/// <param name="Definition">What the term covers.</param>
/// <param name="Synonyms">Other names, unique within the vocabulary (409 otherwise).</param>
/// <param name="Codings">Codes of standard terminologies; each code's format is checked for its system (422).</param>
/// <param name="Broader">Slugs of broader terms of the same vocabulary; existing, not retired, no cycle (422).</param>
[RequestExample("""
    {
      "slug": "migraine",
      "label": "Migraine",
      "definition": "Recurrent headache attacks, often with nausea and sensitivity to light.",
      "synonyms": ["migraine headache"],
      "codings": [],
      "broader": []
    }
    """)]
public sealed record CreateTermRequest(string Slug, string Label, string Definition = "", IReadOnlyList<string>? Synonyms = null,
    IReadOnlyList<Coding>? Codings = null, IReadOnlyList<string>? Broader = null) : ITermFields
{
    string? ITermFields.Label => Label;
    string? ITermFields.Definition => Definition;
}

/// <summary>Changes to a term: give only what changes; a list given replaces the list.</summary>
/// <param name="Label">New label.</param>
/// <param name="Definition">New definition.</param>
/// <param name="Synonyms">The synonyms (replaces the list).</param>
/// <param name="Codings">The codings (replaces the list).</param>
/// <param name="Broader">The broader terms (replaces the list).</param>
[RequestExample("""{ "label": "Migraine", "synonyms": ["migraine headache", "migraine attacks"] }""")]
public sealed record UpdateTermRequest(string? Label = null, string? Definition = null, IReadOnlyList<string>? Synonyms = null,
    IReadOnlyList<Coding>? Codings = null, IReadOnlyList<string>? Broader = null) : ITermFields;

/// <summary>Why a term is retired.</summary>
/// <param name="Reason">Shown on the term and kept in its history.</param>
[RequestExample("""{ "reason": "Merged into neuropathic-pain." }""")]
public sealed record RetireTermRequest(string Reason);

public sealed partial class TermFieldsValidator : AbstractValidator<ITermFields>
{
    private static bool IsName(string name) => VocabularySnapshot.Normalise(name).Length > 0
        && !name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.Surrogate);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    public static partial System.Text.RegularExpressions.Regex Slug { get; }

    public TermFieldsValidator()
    {
        RuleFor(t => t.Label).Must(l => l is null || (l.Trim().Length is >= 1 and <= 200 && IsName(l)))
            .WithMessage("A label has 1–200 characters, at least one letter or digit, and no control or invisible formatting characters.");
        RuleFor(t => t.Definition).MaximumLength(2000);
        RuleFor(t => t.Synonyms).Must(s => s is null || s.Count <= 50).WithMessage("At most 50 synonyms.");
        RuleForEach(t => t.Synonyms).Must(s => s is not null && s.Trim().Length is >= 1 and <= 200 && IsName(s))
            .WithMessage("A synonym has 1–200 characters, at least one letter or digit, and no control or invisible formatting characters.");
        RuleFor(t => t.Synonyms).Must(s => s is null || s.Where(n => n is not null).Select(VocabularySnapshot.Normalise).Distinct().Count() == s.Count)
            .WithMessage("Two synonyms are the same name (ignoring case and punctuation).");
        RuleFor(t => t.Codings).Must(c => c is null || c.Count <= 20).WithMessage("At most 20 codings.");
        RuleForEach(t => t.Codings).Must(c => c is not null && !string.IsNullOrEmpty(c.System) && !string.IsNullOrEmpty(c.Code)
                                              && c.System.Length <= 200 && c.Code.Length <= 100 && (c.Display?.Length ?? 0) <= 500)
            .WithMessage("A coding has a system (a URI) and a code, and at most 500 characters of display.");
        RuleFor(t => t.Codings).Must(c => c is null || c.Where(x => x is not null).DistinctBy(x => (x.System, x.Code)).Count() == c.Count)
            .WithMessage("A coding is given twice.");
        RuleFor(t => t.Broader).Must(b => b is null || b.Count <= 10).WithMessage("At most 10 broader terms.");
        RuleForEach(t => t.Broader).Must(b => b is not null && b.Length <= 100 && Slug.IsMatch(b))
            .WithMessage("A broader term is a slug: lower-case words joined by hyphens.");
    }
}

public sealed class CreateTermRequestValidator : AbstractValidator<CreateTermRequest>
{
    public CreateTermRequestValidator()
    {
        RuleFor(t => t.Slug).NotEmpty().MaximumLength(100).Must(s => s is null || TermFieldsValidator.Slug.IsMatch(s))
            .WithMessage("A slug is lower-case words joined by hyphens, e.g. `neuropathic-pain`.");
        RuleFor(t => t.Label).NotEmpty();
        Include(new TermFieldsValidator());
    }
}

public sealed class UpdateTermRequestValidator : AbstractValidator<UpdateTermRequest>
{
    public UpdateTermRequestValidator() => Include(new TermFieldsValidator());
}

public sealed class RetireTermRequestValidator : AbstractValidator<RetireTermRequest>
{
    public RetireTermRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}
