using EvidenceApi.Infrastructure;
using FluentValidation;

namespace EvidenceApi.Claims;

/// <summary>Checks what can be checked without the database: enum values, UUIDs, sizes.</summary>
public sealed class ClaimFilterQueryValidator : AbstractValidator<ClaimFilterQuery>
{
    public ClaimFilterQueryValidator()
    {
        RuleFor(q => q.Condition).MustBeTerms();
        RuleFor(q => q.Cannabinoid).MustBeTerms();
        RuleFor(q => q.Outcome).MustBeTerms();
        RuleFor(q => q.Population).MustBeTerms();
        RuleFor(q => q.Comparator).MustBeTerms();
        RuleFor(q => q.Route).MustBeValuesOf<ClaimFilterQuery, AdministrationRoute>();
        RuleFor(q => q.Direction).MustBeValuesOf<ClaimFilterQuery, Direction>();
        RuleFor(q => q.ClaimedStrength).MustBeValuesOf<ClaimFilterQuery, ClaimedStrength>();
        RuleFor(q => q.EvidenceLevel).MustBeValuesOf<ClaimFilterQuery, EvidenceLevel>();
        RuleFor(q => q.Status).MustBeValuesOf<ClaimFilterQuery, ClaimStatus>();
        RuleFor(q => q.Source).MustBeUuids();
        RuleFor(q => q.Id).MustBeUuids()
            .Must(ids => (CommaList.Split(ids)?.Length ?? 0) <= ClaimFilter.MaxIds)
            .WithMessage($"At most {ClaimFilter.MaxIds} ids may be asked for at once.");
        RuleFor(q => q.Q).MaximumLength(500)
            .Must(q => q is null || !q.Any(char.IsControl)).WithMessage("The search may not contain control characters.");
    }
}

public static partial class ClaimFilterRules
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial System.Text.RegularExpressions.Regex SlugFormat { get; }

    public static IRuleBuilderOptions<T, string?> MustBeSlugs<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => CommaList.Split(value)?.All(v => v.Length <= 100 && SlugFormat.IsMatch(v)) ?? true)
            .WithMessage("'{PropertyValue}' is not a list of slugs (lower-case words joined by hyphens, comma-separated).");

    /// <summary>Slugs, or codes as `prefix:code` whose format is valid for their system (`mesh:D005356`).</summary>
    public static IRuleBuilderOptions<T, string?> MustBeTerms<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => CommaList.Split(value)?.All(IsTermReference) ?? true)
            .WithMessage("'{PropertyValue}' is not a list of slugs or codes (a slug: lower-case words joined by hyphens; a code: " +
                         $"{string.Join(", ", Vocabularies.CodeSystems.All.Select(s => s.Prefix))} then `:` and a code valid in that system, e.g. mesh:D005356).");

    private static bool IsTermReference(string value) =>
        Vocabularies.CodeSystems.TryParseReference(value, out var system, out var code)
            ? code.Length <= 100 && system.IsValid(code)
            : value.Length <= 100 && SlugFormat.IsMatch(value);

    public static IRuleBuilderOptions<T, string?> MustBeValuesOf<T, TEnum>(this IRuleBuilder<T, string?> rule) where TEnum : struct, Enum =>
        rule.Must(value => CommaList.Split(value)?.All(v => Slugs.TryParse<TEnum>(v, out _)) ?? true)
            .WithMessage($"'{{PropertyValue}}' has a value that is not allowed. Allowed values: {string.Join(", ", Slugs.AllOf<TEnum>())}.");

    public static IRuleBuilderOptions<T, string?> MustBeUuids<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => CommaList.Split(value)?.All(v => Guid.TryParse(v, out _)) ?? true)
            .WithMessage("'{PropertyValue}' is not a comma-separated list of UUIDs.");
}
