using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Findings;

/// <summary>The filters of the findings list: the claims' filters where a finding has the same field.</summary>
public sealed record ListFindingsQuery
{
    /// <summary>Condition slugs or codes, comma-separated.</summary>
    /// <example>chronic-pain</example>
    [FromQuery(Name = "condition")]
    public string? Condition { get; init; }

    /// <summary>With `condition` or `cannabinoid`: also match every narrower term.</summary>
    /// <example>true</example>
    [FromQuery(Name = "includeNarrower")]
    public bool? IncludeNarrower { get; init; }

    /// <summary>Intervention slugs or codes, comma-separated.</summary>
    /// <example>cannabinoids</example>
    [FromQuery(Name = "cannabinoid")]
    public string? Cannabinoid { get; init; }

    /// <summary>Population slugs or codes, comma-separated.</summary>
    [FromQuery(Name = "population")]
    public string? Population { get; init; }

    /// <summary>Outcome slugs or codes, comma-separated.</summary>
    /// <example>pain</example>
    [FromQuery(Name = "outcome")]
    public string? Outcome { get; init; }

    /// <summary>Directions: benefit, harm, no-effect, mixed.</summary>
    [FromQuery(Name = "direction")]
    public string? Direction { get; init; }

    /// <summary>Scheme of the level: nasem-2017 or grade.</summary>
    [FromQuery(Name = "levelScheme")]
    public string? LevelScheme { get; init; }

    /// <summary>Levels, comma-separated, on either scheme (conclusive, substantial, moderate, limited, insufficient; high, moderate, low, very-low).</summary>
    /// <example>conclusive,substantial</example>
    [FromQuery(Name = "level")]
    public string? Level { get; init; }

    /// <summary>DOI of the synthesis (a doi.org link or `doi:` prefix is accepted).</summary>
    /// <example>10.17226/24625</example>
    [FromQuery(Name = "doi")]
    public string? Doi { get; init; }

    /// <summary>Full-text search over the statements, the syntheses' titles and the locators (websearch syntax).</summary>
    /// <example>chronic pain</example>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Include retired findings (hidden by default).</summary>
    [FromQuery(Name = "includeRetired")]
    public bool? IncludeRetired { get; init; }

    /// <summary>Page size, 1–200 (default 50).</summary>
    /// <example>50</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>`nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }
}

public sealed class ListFindingsQueryValidator : AbstractValidator<ListFindingsQuery>
{
    public ListFindingsQueryValidator()
    {
        RuleFor(q => q.Condition).MustBeTerms();
        RuleFor(q => q.Cannabinoid).MustBeTerms();
        RuleFor(q => q.Population).MustBeTerms();
        RuleFor(q => q.Outcome).MustBeTerms();
        RuleFor(q => q.Direction).MustBeValuesOf<ListFindingsQuery, Direction>();
        RuleFor(q => q.LevelScheme).MustBeValuesOf<ListFindingsQuery, GradeScheme>();
        RuleFor(q => q.Level).Must(l => CommaList.Split(l)?.All(GradeValues.All.Contains) ?? true)
            .WithMessage($"'{{PropertyValue}}' has a value that is not allowed. Allowed values: {string.Join(", ", GradeValues.All)}.");
        RuleFor(q => q.Doi).MaximumLength(300)
            .Must(doi => string.IsNullOrWhiteSpace(doi) || CitationIdentifiers.Normalise(CitationKind.Doi, doi) is not null)
            .WithMessage("'{PropertyValue}' is not a DOI (10.NNNN/..., or a doi.org link).");
        RuleFor(q => q.Q).MaximumLength(500)
            .Must(q => q is null || !q.Any(char.IsControl)).WithMessage("The search may not contain control characters.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(q => q.Cursor).MustBeCursorOf(ListFindings.Order, 2, k => PageCursor.IsTime(k[0]) && PageCursor.IsUuid(k[1]));
    }
}

public static class ListFindings
{
    /// <summary>Findings are listed in the order they were added.</summary>
    public const string Order = "created";

    public static async Task<Results<CachedOk<Page<FindingResponse>>, ProblemHttpResult>> HandleAsync([AsParameters] ListFindingsQuery query,
        NpgsqlDataSource dataSource, VocabularyCache vocabularies, CancellationToken ct)
    {
        var limit = query.Limit ?? 50;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var snapshot = await vocabularies.GetAsync(connection, ct);
        var unknown = new Dictionary<string, string[]>();
        string[]? Resolve(string name, Vocabulary vocabulary, string? values, bool narrower)
        {
            if (CommaList.Split(values) is not { } list) return null;
            var errors = new List<string>();
            var slugs = snapshot.Resolve(vocabulary, list, narrower, errors);
            if (errors.Count > 0) unknown[name] = [.. errors];
            return slugs;
        }
        var narrower = query.IncludeNarrower ?? false;
        var conditions = Resolve("condition", Vocabulary.Conditions, query.Condition, narrower);
        var interventions = Resolve("cannabinoid", Vocabulary.Interventions, query.Cannabinoid, narrower);
        var populations = Resolve("population", Vocabulary.Populations, query.Population, false);
        var outcomes = Resolve("outcome", Vocabulary.Outcomes, query.Outcome, false);
        if (unknown.Count > 0) return Problems.Validation(unknown, "Unknown term.", "A filter names a term the vocabularies do not have.");

        var tests = new List<string>();
        if (!(query.IncludeRetired ?? false)) tests.Add("f.retired_at is null");
        if (conditions is not null) tests.Add("f.conditions && @conditions");
        if (interventions is not null) tests.Add("f.interventions && @interventions");
        if (populations is not null) tests.Add("f.population = any(@populations)");
        if (outcomes is not null) tests.Add("f.outcome = any(@outcomes)");
        // an empty filter (`direction=`) filters nothing, as on claims
        if (CommaList.Split(query.Direction) is not null) tests.Add("f.direction = any(@directions)");
        if (CommaList.Split(query.LevelScheme) is not null) tests.Add("f.level_scheme = any(@schemes)");
        if (CommaList.Split(query.Level) is not null) tests.Add("f.level = any(@levels)");
        if (!string.IsNullOrWhiteSpace(query.Doi)) tests.Add("lower(f.synthesis_doi) = lower(@doi)");
        if (!string.IsNullOrWhiteSpace(query.Q)) tests.Add("f.search @@ websearch_to_tsquery('english', @q)");
        DateTime? afterCreated = null;
        Guid? afterId = null;
        if (query.Cursor is not null && PageCursor.TryDecode(query.Cursor, Order, 2, out var key, out _))
            (afterCreated, afterId) = (key[0].GetDateTime(), key[1].GetGuid());
        if (afterId is not null) tests.Add("(f.created_at, f.id) > (@afterCreated, @afterId)");

        var rows = (await connection.QueryAsync<FindingStore.FindingRow>(new CommandDefinition($"""
            {FindingStore.Select}
            {(tests.Count == 0 ? "" : "where " + string.Join("\n  and ", tests))}
            order by f.created_at, f.id
            limit @fetch
            """, new
        {
            conditions,
            interventions,
            populations,
            outcomes,
            directions = CommaList.Split(query.Direction),
            schemes = CommaList.Split(query.LevelScheme),
            levels = CommaList.Split(query.Level),
            doi = string.IsNullOrWhiteSpace(query.Doi) ? null : CitationIdentifiers.Normalise(CitationKind.Doi, query.Doi),
            q = query.Q?.Trim(),
            afterCreated,
            afterId,
            fetch = limit + 1,
        }, cancellationToken: ct))).ToList();
        return Cached.Ok(Paging.Of(rows, limit, r => r.ToResponse(), Order, r => [DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc), r.Id]));
    }
}
