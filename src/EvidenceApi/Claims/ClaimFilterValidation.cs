using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>Checks what can be checked without the database: enum values, UUIDs, sizes.</summary>
public sealed class ClaimFilterQueryValidator : AbstractValidator<ClaimFilterQuery>
{
    public ClaimFilterQueryValidator()
    {
        RuleFor(q => q.Condition).MustBeSlugs();
        RuleFor(q => q.Cannabinoid).MustBeSlugs();
        RuleFor(q => q.Outcome).MustBeSlugs();
        RuleFor(q => q.Route).MustBeValuesOf<ClaimFilterQuery, AdministrationRoute>();
        RuleFor(q => q.Population).MustBeValuesOf<ClaimFilterQuery, Population>();
        RuleFor(q => q.Comparator).MustBeValuesOf<ClaimFilterQuery, Comparator>();
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

    public static IRuleBuilderOptions<T, string?> MustBeValuesOf<T, TEnum>(this IRuleBuilder<T, string?> rule) where TEnum : struct, Enum =>
        rule.Must(value => CommaList.Split(value)?.All(v => Slugs.TryParse<TEnum>(v, out _)) ?? true)
            .WithMessage($"'{{PropertyValue}}' has a value that is not allowed. Allowed values: {string.Join(", ", Slugs.AllOf<TEnum>())}.");

    public static IRuleBuilderOptions<T, string?> MustBeUuids<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => CommaList.Split(value)?.All(v => Guid.TryParse(v, out _)) ?? true)
            .WithMessage("'{PropertyValue}' is not a comma-separated list of UUIDs.");
}

/// <summary>Finds filter values that name no vocabulary term.</summary>
public static class VocabularyCheck
{
    private const string Sql = """
        select 'condition' as field, v as value from unnest(@Conditions::text[]) v where not exists (select 1 from conditions where slug = v)
        union all
        select 'cannabinoid', v from unnest(@Cannabinoids::text[]) v where not exists (select 1 from cannabinoids where slug = v)
        union all
        select 'outcome', v from unnest(@Outcomes::text[]) v where not exists (select 1 from outcomes where slug = v)
        """;

    /// <summary>Errors keyed by field, as a validation problem lists them; empty when every term exists.</summary>
    public static async Task<Dictionary<string, string[]>> FindUnknownAsync(NpgsqlConnection connection,
        string[]? conditions, string[]? cannabinoids, string[]? outcomes, CancellationToken ct)
    {
        if (conditions is null && cannabinoids is null && outcomes is null) return [];
        var unknown = await connection.QueryAsync<(string Field, string Value)>(new CommandDefinition(Sql,
            new { Conditions = conditions, Cannabinoids = cannabinoids, Outcomes = outcomes }, cancellationToken: ct));
        return unknown.GroupBy(u => u.Field).ToDictionary(g => g.Key, g => g.Select(u => UnknownMessage(g.Key, u.Value)).ToArray());
    }

    public static string UnknownMessage(string field, string value) => $"'{value}' is not a known {field}; see GET /v1/{field}s.";
}
