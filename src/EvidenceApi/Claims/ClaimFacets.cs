using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Claims;

public sealed record ClaimFacetsQuery : ClaimFilterQuery
{
    /// <summary>
    /// Fields to count, comma-separated: condition, cannabinoid, route, population, comparator, outcome, direction,
    /// claimedStrength, evidenceLevel, status, source.
    /// </summary>
    /// <example>condition,status</example>
    [FromQuery(Name = "by")]
    public string? By { get; init; }
}

/// <summary>How many claims match the filters, and how many of them have each value of the requested fields.</summary>
/// <param name="Total">Claims matching the filters.</param>
/// <param name="Facets">Per requested field, its values with their counts, most frequent first. A claim with several
/// conditions (or cannabinoids, routes) counts once under each; `comparator` counts claims with none under `none`.</param>
public sealed record ClaimFacetsResponse(int Total, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets);

/// <summary>One value of a facet.</summary>
/// <param name="Value">The value (a slug, or a source id).</param>
/// <param name="Count">Matching claims with that value.</param>
public sealed record FacetCount(string Value, int Count);

public sealed class ClaimFacetsQueryValidator : AbstractValidator<ClaimFacetsQuery>
{
    public ClaimFacetsQueryValidator()
    {
        Include(new ClaimFilterQueryValidator());
        RuleFor(q => q.By).NotEmpty().WithMessage("Name the fields to count, e.g. `by=condition,status`.")
            .Must(by => CommaList.Split(by)?.All(ClaimFacets.Counts.ContainsKey) ?? false)
            .WithMessage($"'{{PropertyValue}}' names a field that cannot be counted. Allowed: {string.Join(", ", ClaimFacets.Counts.Keys)}.");
    }
}

public static class ClaimFacets
{
    // Whitelisted per-facet SQL over the `filtered` CTE: the only SQL text a request can choose.
    public static readonly IReadOnlyDictionary<string, string> Counts = new Dictionary<string, string>
    {
        ["condition"] = "select cc.condition_slug, count(*) from filtered f join claim_conditions cc on cc.claim_id = f.id group by 1",
        ["cannabinoid"] = "select ca.cannabinoid_slug, count(*) from filtered f join claim_cannabinoids ca on ca.claim_id = f.id group by 1",
        ["route"] = "select r, count(*) from filtered f cross join unnest(f.routes) r group by 1",
        ["population"] = "select f.population, count(*) from filtered f group by 1",
        ["comparator"] = "select coalesce(f.comparator, 'none'), count(*) from filtered f group by 1",
        ["outcome"] = "select f.outcome, count(*) from filtered f group by 1",
        ["direction"] = "select f.direction, count(*) from filtered f group by 1",
        ["claimedStrength"] = "select f.claimed_strength, count(*) from filtered f group by 1",
        ["evidenceLevel"] = "select f.evidence_level, count(*) from filtered f group by 1",
        ["status"] = "select f.status, count(*) from filtered f group by 1",
        ["source"] = "select f.source_id::text, count(*) from filtered f group by 1",
    };

    public static async Task<Results<CachedOk<ClaimFacetsResponse>, ValidationProblem>> HandleAsync(
        [AsParameters] ClaimFacetsQuery query, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var fields = CommaList.Split(query.By)!;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var unknown = await VocabularyCheck.FindUnknownAsync(connection, filter.Conditions, filter.Cannabinoids, filter.Outcomes, ct);
        if (unknown.Count > 0) return TypedResults.ValidationProblem(unknown, title: "Unknown vocabulary terms.");

        var counts = string.Join("\nunion all\n", fields.Select((f, i) => $"select '{f}' as facet, * from ({Counts[f]}) as facet_{i}"));
        var sql = $"""
            {ClaimFilter.WantedConditionsCte},
            filtered as (
                select c.id, c.source_id, c.routes, c.population, c.comparator, c.outcome, c.direction, c.claimed_strength,
                       c.evidence_level, c.status
                from claims c
                {ClaimFilter.WhereClause}
            )
            select 'total' as facet, null as value, count(*)::int as count from filtered
            union all
            select facet, value, count::int from ({counts}) as counts (facet, value, count)
            """;
        var rows = (await connection.QueryAsync<(string Facet, string? Value, int Count)>(
            new CommandDefinition(sql, filter, cancellationToken: ct))).ToList();

        var facets = fields.ToDictionary(f => f, f => (IReadOnlyList<FacetCount>)rows
            .Where(r => r.Facet == f).OrderByDescending(r => r.Count).ThenBy(r => r.Value, StringComparer.Ordinal)
            .Select(r => new FacetCount(r.Value!, r.Count)).ToList());
        return Cached.Ok(new ClaimFacetsResponse(rows.Single(r => r.Facet == "total").Count, facets));
    }
}
