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
        RuleFor(q => q.By).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Name the fields to count, e.g. `by=condition,status`.")
            .Must(by => CommaList.Split(by)?.All(ClaimFacets.Counts.ContainsKey) ?? false)
            .WithMessage($"'{{PropertyValue}}' names a field that cannot be counted. Allowed: {string.Join(", ", ClaimFacets.Counts.Keys)}.");
    }
}

public static class ClaimFacets
{
    // Whitelisted SQL per facet: the (facet, value) pairs one claim contributes. The only SQL text a request can choose.
    public static readonly IReadOnlyDictionary<string, string> Counts = new Dictionary<string, string>
    {
        ["condition"] = "select 'condition', s from unnest(c.conditions) s",
        ["cannabinoid"] = "select 'cannabinoid', s from unnest(c.cannabinoids) s",
        ["route"] = "select 'route', s from unnest(c.routes) s",
        ["population"] = "select 'population', c.population",
        ["comparator"] = "select 'comparator', coalesce(c.comparator, 'none')",
        ["outcome"] = "select 'outcome', c.outcome",
        ["direction"] = "select 'direction', c.direction",
        ["claimedStrength"] = "select 'claimedStrength', c.claimed_strength",
        ["evidenceLevel"] = "select 'evidenceLevel', c.evidence_level",
        ["status"] = "select 'status', c.status",
        ["source"] = "select 'source', c.source_id::text",
    };

    // Without filters the answer is kept up to date by triggers (db/migrations/0003_facet_counts.sql):
    // the compacted totals plus the deltas appended since.
    private const string UnfilteredCounts = """
        select facet, nullif(value, ''), sum(claims)::int
        from (select facet, value, claims from facet_counts where facet = any(@Facets)
              union all
              select facet, value, delta from facet_count_deltas where facet = any(@Facets)) as counts
        group by facet, value
        having sum(claims) <> 0
        """;

    public static async Task<Results<CachedOk<ClaimFacetsResponse>, ProblemHttpResult>> HandleAsync(
        [AsParameters] ClaimFacetsQuery query, NpgsqlDataSource dataSource, Vocabularies.VocabularyCache vocabularies,
        CatalogueResults results, ClaimIndex index, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var fields = CommaList.Split(query.By)!;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        (filter, var unknown) = await filter.ResolveAsync(vocabularies, connection, ct);
        if (unknown.Count > 0) return Problems.Validation(unknown, "Unknown vocabulary terms.");

        if (filter.ShowsEveryListedClaim) return Cached.Ok(await CountAsync(connection, UnfilteredCounts, filter, fields, ct));

        // counted from the in-memory index when it was built at this change count, else in one pass over the filtered claims;
        // kept until the claims change
        var changes = await CatalogueResults.ChangesAsync(connection, ct);
        var counted = await results.GetOrComputeAsync(CatalogueResults.Key("facets", filter, fields), changes, async () =>
        {
            if (ClaimIndex.Snapshot.CanAnswer(filter) && index.At(changes) is { } bitmaps)
            {
                var fromIndex = bitmaps.Count(filter, fields);
                return (fromIndex, 1 + fromIndex.Facets.Values.Sum(v => v.Count));
            }
            var pairs = string.Join("\n    union all ", fields.Select(f => Counts[f]).Prepend("select 'total', null"));
            var sql = $"""
                select f.facet, f.value, count(*)::int
                from claims c
                cross join lateral ({pairs}) as f (facet, value)
                {filter.WhereClause}
                group by 1, 2
                """;
            var response = await CountAsync(connection, sql, filter, fields, ct);
            return (response, 1 + response.Facets.Values.Sum(v => v.Count));
        });
        return Cached.Ok(counted);
    }

    private static async Task<ClaimFacetsResponse> CountAsync(NpgsqlConnection connection, string sql, ClaimFilter filter,
        string[] fields, CancellationToken ct)
    {
        var parameters = new DynamicParameters(filter);
        parameters.Add("Facets", fields.Append("total").ToArray());
        var rows = (await connection.QueryAsync<(string Facet, string? Value, int Count)>(
            new CommandDefinition(sql, parameters, cancellationToken: ct))).ToList();

        var facets = fields.ToDictionary(f => f, f => (IReadOnlyList<FacetCount>)rows
            .Where(r => r.Facet == f).OrderByDescending(r => r.Count).ThenBy(r => r.Value, StringComparer.Ordinal)
            .Select(r => new FacetCount(r.Value!, r.Count)).ToList());
        return new ClaimFacetsResponse(rows.SingleOrDefault(r => r.Facet == "total").Count, facets);
    }
}
