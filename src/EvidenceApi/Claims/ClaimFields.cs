using Dapper;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>The fields of a claim an editor writes, on create and on patch.</summary>
public interface IClaimFields
{
    string Quote { get; }
    TextPosition Position { get; }
    string Section { get; }
    IReadOnlyList<string> Conditions { get; }
    IReadOnlyList<string> Cannabinoids { get; }
    IReadOnlyList<AdministrationRoute>? Routes { get; }
    string Population { get; }
    string? Comparator { get; }
    string Effect { get; }
    string Outcome { get; }
    Direction Direction { get; }
    ClaimedStrength ClaimedStrength { get; }
}

/// <summary>Shape rules (400): sizes, formats, lists. What needs the database is <see cref="ClaimFieldChecks"/>.</summary>
public sealed class ClaimFieldsValidator : AbstractValidator<IClaimFields>
{
    public const int MaxQuoteLength = 5000;
    private const string SlugPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    private static bool AnchoredBySelectors(IClaimFields fields) => fields is CreateClaimRequest { Selectors: not null };

    public ClaimFieldsValidator()
    {
        // a new claim anchored by selectors gets its quote and position from them
        RuleFor(c => c.Quote).NotEmpty().MaximumLength(MaxQuoteLength).Unless(AnchoredBySelectors);
        RuleFor(c => c.Position).NotNull().Unless(AnchoredBySelectors);
        RuleFor(c => c.Position.Start).GreaterThanOrEqualTo(0).When(c => c.Position is not null).OverridePropertyName("position.start");
        RuleFor(c => c.Position.End).GreaterThan(c => c.Position.Start).When(c => c.Position is not null).OverridePropertyName("position.end");
        RuleFor(c => c.Section).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Conditions).NotEmpty().Must(l => l.Count <= 10).WithMessage("At most 10 conditions.");
        RuleForEach(c => c.Conditions).NotEmpty().Matches(SlugPattern).MaximumLength(100);
        RuleFor(c => c.Cannabinoids).NotEmpty().Must(l => l.Count <= 10).WithMessage("At most 10 cannabinoids.");
        RuleForEach(c => c.Cannabinoids).NotEmpty().Matches(SlugPattern).MaximumLength(100);
        RuleFor(c => c.Routes).Must(r => r is null || r.Count <= 5).WithMessage("At most 5 routes.");
        RuleFor(c => c.Population).NotEmpty().Matches(SlugPattern).MaximumLength(100);
        RuleFor(c => c.Comparator).Matches(SlugPattern).MaximumLength(100);
        RuleFor(c => c.Effect).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Outcome).NotEmpty().Matches(SlugPattern).MaximumLength(100);
        RuleFor(c => c.Direction).IsInEnum();
        RuleFor(c => c.ClaimedStrength).IsInEnum();
    }
}

/// <summary>Rules that need the database (422): the quote is the source's text at its position, every term exists and is not retired.</summary>
public static class ClaimFieldChecks
{
    /// <summary>Null when the fields fit; <paramref name="current"/> is the claim before an edit (a retired term it already
    /// carries may stay), null for a new claim.</summary>
    public static async Task<ProblemHttpResult?> CheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid sourceId, IClaimFields fields, IClaimFields? current, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (text, retired) = await connection.QuerySingleOrDefaultAsync<(string? Text, bool Retired)>(new CommandDefinition(
            "select text, retired_at is not null from sources where id = @sourceId for key share", new { sourceId }, transaction, cancellationToken: ct));
        if (text is null)
        {
            errors["sourceId"] = [$"There is no source {sourceId}."];
        }
        else if (retired)
        {
            errors["sourceId"] = [$"Source {sourceId} is retired: its claims stay, new ones cannot be added."];
        }
        else
        {
            var slice = TextPositions.Slice(text, fields.Position.Start, fields.Position.End);
            if (slice is null)
                errors["position"] = [$"The position is outside the source text ({TextPositions.Length(text)} code points)."];
            else if (slice != fields.Quote)
                errors["quote"] = [$"The quote is not the source's text at {fields.Position.Start}–{fields.Position.End}, which reads: \"{Shorten(slice)}\"."];
        }

        foreach (var (field, messages) in await CheckTermsAsync(connection, transaction, fields, current, ct)) errors[field] = messages;
        return errors.Count == 0 ? null
            : Problems.CannotProcess("The claim cannot be accepted.", "The claim does not fit its source or the vocabularies.", errors);
    }

    private static async Task<Dictionary<string, string[]>> CheckTermsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IClaimFields fields, IClaimFields? current, CancellationToken ct)
    {
        var uses = new (string Field, Vocabulary Vocabulary, string[] Slugs, string[] Kept)[]
        {
            ("conditions", Vocabulary.Conditions, [.. fields.Conditions], [.. current?.Conditions ?? []]),
            ("cannabinoids", Vocabulary.Interventions, [.. fields.Cannabinoids], [.. current?.Cannabinoids ?? []]),
            ("outcome", Vocabulary.Outcomes, [fields.Outcome], current is null ? [] : [current.Outcome]),
            ("population", Vocabulary.Populations, [fields.Population], current is null ? [] : [current.Population]),
            ("comparator", Vocabulary.Comparators, fields.Comparator is null ? [] : [fields.Comparator],
                current?.Comparator is null ? [] : [current.Comparator]),
        };
        // one round trip for every vocabulary; table names come from Vocabulary, values are parameters
        var sql = string.Join("\nunion all\n", uses.Select((u, i) =>
            $"select {i} as use, slug, retired_at is not null as retired from {u.Vocabulary.Name} where slug = any(@p{i})"));
        var parameters = new DynamicParameters();
        for (var i = 0; i < uses.Length; i++) parameters.Add($"p{i}", uses[i].Slugs);
        var found = (await connection.QueryAsync<(int Use, string Slug, bool Retired)>(
            new CommandDefinition(sql, parameters, transaction, cancellationToken: ct))).ToList();

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < uses.Length; i++)
        {
            var (field, vocabulary, slugs, kept) = uses[i];
            var terms = found.Where(f => f.Use == i).ToDictionary(f => f.Slug, f => f.Retired);
            var messages = slugs.Distinct().Select(slug =>
                    !terms.TryGetValue(slug, out var retired) ? $"'{slug}' is not a known {vocabulary.Singular}; see GET /v1/{vocabulary.Name}."
                    : retired && !kept.Contains(slug) ? $"'{slug}' is a retired {vocabulary.Singular} and cannot be used; see GET /v1/{vocabulary.Name}/{slug}."
                    : null)
                .OfType<string>().ToArray();
            if (messages.Length > 0) errors[field] = messages;
        }
        return errors;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
