using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Claims;

public sealed record ListClaimsQuery : ClaimFilterQuery
{
    /// <summary>
    /// Sort key, `-` prefix for descending: createdAt, updatedAt, evidenceLevel (strongest first),
    /// claimedStrength (asserted first), position (offset in the source), relevance (with `q` only; best match first).
    /// Default: relevance when `q` is given, else createdAt. Keys that change on edit (updatedAt, evidenceLevel)
    /// can move an edited claim across pages while you page.
    /// </summary>
    /// <example>-updatedAt</example>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    /// <summary>Page size, 1–200.</summary>
    /// <example>50</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>Opaque cursor from `nextCursor` of the previous page (same sort).</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    private ClaimListRequest? _parsed;

    /// <summary>The query parsed once, shared by the validator and the handler.</summary>
    public ClaimListRequest Parsed => _parsed ??= ClaimListRequest.Parse(this);
}

/// <summary>What a claim list asks for: filter, sort (its default decided here, once), cursor and page size, and what is wrong with them.</summary>
public sealed record ClaimListRequest(ListClaimsQuery Query, ClaimSort? Sort, ClaimCursor? Cursor, int Limit, IReadOnlyDictionary<string, string> Errors)
{
    public const int DefaultLimit = 50;

    /// <summary>The filter, once the query is valid (its values are parsed here).</summary>
    public ClaimFilter Filter => ClaimFilter.From(Query);

    public static ClaimListRequest Parse(ListClaimsQuery query)
    {
        var searching = !string.IsNullOrWhiteSpace(query.Q);
        var errors = new Dictionary<string, string>();
        var sortName = string.IsNullOrEmpty(query.Sort) ? (searching ? ClaimSort.Relevance : ClaimSort.Default) : query.Sort;
        if (!ClaimSort.TryParse(sortName, out var sort))
            errors["sort"] = $"'{query.Sort}' is not a sort. Allowed: {string.Join(", ", ClaimSort.Names)}.";
        else if (sort.Name == ClaimSort.Relevance && !searching)
            errors["sort"] = "Sorting by relevance needs a search: give `q`.";

        ClaimCursor? cursor = null;
        if (query.Cursor is not null && errors.Count == 0)
        {
            if (ClaimCursor.TryDecode(query.Cursor, sort, out var decoded, out var error)) cursor = decoded;
            else errors["cursor"] = error;
        }
        return new ClaimListRequest(query, errors.ContainsKey("sort") ? null : sort, cursor, query.Limit ?? DefaultLimit, errors);
    }
}

public sealed class ListClaimsQueryValidator : AbstractValidator<ListClaimsQuery>
{
    public ListClaimsQueryValidator()
    {
        Include(new ClaimFilterQueryValidator());
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(q => q.Parsed).Custom((parsed, context) =>
        {
            foreach (var (field, message) in parsed.Errors) context.AddFailure(field, message);
        });
    }
}

public static class ListClaims
{
    public static async Task<Results<CachedOk<Page<ClaimResponse>>, ProblemHttpResult>> HandleAsync(
        [AsParameters] ListClaimsQuery query, NpgsqlDataSource dataSource, Vocabularies.VocabularyCache vocabularies,
        CatalogueResults results, ClaimIndex index, HttpContext http, CancellationToken ct)
    {
        var (_, sort, cursor, limit, _) = query.Parsed;
        var filter = query.Parsed.Filter;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        (filter, var unknown) = await filter.ResolveAsync(vocabularies, connection, ct);
        if (unknown.Count > 0) return Problems.Validation(unknown, "Unknown vocabulary terms.");

        var page = sort!.Name == ClaimSort.Relevance ? await RankedPageAsync(connection, filter, sort, cursor, limit, results, index, ct) : null;
        var (items, next) = page ?? await QueriedPageAsync(connection, filter, sort, cursor, limit, ct);
        var nextCursor = next?.Encode();
        if (nextCursor is not null) http.Response.Headers.Link = $"<{NextPageUrl(http.Request, nextCursor)}>; rel=\"next\"";
        return Cached.Ok(new Page<ClaimResponse>(items, nextCursor));
    }

    private static async Task<(IReadOnlyList<ClaimResponse>, ClaimCursor?)> QueriedPageAsync(NpgsqlConnection connection,
        ClaimFilter filter, ClaimSort sort, ClaimCursor? cursor, int limit, CancellationToken ct)
    {
        var parameters = new DynamicParameters(filter);
        parameters.Add("Limit", limit + 1);
        if (cursor is not null)
        {
            parameters.Add("AfterValue", cursor.Value);
            parameters.Add("AfterId", cursor.Id);
        }
        var sql = $"""
            select {ClaimReader.Columns}, {sort.Expression} as sort_value
            {ClaimReader.From}
            {filter.WhereClause}
            {(cursor is null ? "" : sort.After)}
            {sort.OrderBy}
            limit @Limit
            """;
        var rows = await ClaimReader.ReadAsync<SortedClaimRow>(connection, sql, parameters, ct);
        var last = rows.Count > limit ? rows[limit - 1].Row : null;
        return (rows.Take(limit).Select(r => r.Claim).ToList(), last is null ? null : new ClaimCursor(sort.Name, last.SortValue, last.Id));
    }

    /// <summary>A page of search results sliced from the kept ranking; null when it lies beyond the kept matches.</summary>
    private static async Task<(IReadOnlyList<ClaimResponse>, ClaimCursor?)?> RankedPageAsync(NpgsqlConnection connection,
        ClaimFilter filter, ClaimSort sort, ClaimCursor? cursor, int limit, CatalogueResults results, ClaimIndex index, CancellationToken ct)
    {
        var changes = await CatalogueResults.ChangesAsync(connection, ct);
        var ranking = await results.GetOrComputeAsync(CatalogueResults.Key(ClaimSort.Relevance, filter), changes, async () =>
        {
            var computed = await RelevanceRanking.ComputeAsync(connection, filter, sort, results.RankingDepth, index.At(changes), ct);
            return (computed, computed.Count);
        });
        var matches = ranking.After(cursor, limit + 1);
        if (matches is null) return null;

        var pageIds = matches.Take(limit).Select(m => m.Id).ToArray();
        var parameters = new DynamicParameters(filter);
        parameters.Add("PageIds", pageIds);
        var claims = (await ClaimReader.ReadAsync<ClaimRow>(connection,
                $"{ClaimReader.SelectClaims}\n{filter.WhereClause}\n  and c.id = any(@PageIds)", parameters, ct))
            .ToDictionary(r => r.Row.Id, r => r.Claim);
        // a claim retired or refiled since the ranking was read no longer passes the filter and is left out
        var items = pageIds.Where(claims.ContainsKey).Select(id => claims[id]).ToList();
        var last = matches.Count > limit ? matches[limit - 1] : (RelevanceRanking.Match?)null;
        return (items, last is { } m ? new ClaimCursor(sort.Name, m.Rank, m.Id) : null);
    }

    private static string NextPageUrl(HttpRequest request, string cursor)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => !p.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("cursor", cursor));
        // absolute, from the request as the client sent it (a proxy's X-Forwarded-* count when forwarded headers are enabled)
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{QueryString.Create(query)}";
    }

    private sealed class SortedClaimRow : ClaimRow
    {
        public object SortValue { get; init; } = null!;
    }
}
