using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
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
}

/// <summary>A page of claims.</summary>
/// <param name="Items">The claims of this page.</param>
/// <param name="NextCursor">Pass as `cursor` for the next page; null on the last page.</param>
public sealed record ClaimPage(IReadOnlyList<ClaimResponse> Items, string? NextCursor);

public sealed class ListClaimsQueryValidator : AbstractValidator<ListClaimsQuery>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public ListClaimsQueryValidator()
    {
        Include(new ClaimFilterQueryValidator());
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
        RuleFor(q => q.Sort)
            .Must((q, sort) => ClaimSort.TryParse(ClaimSort.NameOrDefault(sort, q.Q is not null), out _))
            .WithMessage($"'{{PropertyValue}}' is not a sort. Allowed: {string.Join(", ", ClaimSort.Names)}.");
        RuleFor(q => q.Sort)
            .Must((q, sort) => !string.IsNullOrWhiteSpace(q.Q) || ClaimSort.NameOrDefault(sort, false) != ClaimSort.Relevance)
            .WithMessage("Sorting by relevance needs a search: give `q`.");
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            var q = context.InstanceToValidate;
            if (cursor is null || !ClaimSort.TryParse(ClaimSort.NameOrDefault(q.Sort, !string.IsNullOrWhiteSpace(q.Q)), out var sort)) return;
            if (!ClaimCursor.TryDecode(cursor, sort, out _, out var error)) context.AddFailure(error);
        });
    }
}

public static class ListClaims
{
    public static async Task<Results<CachedOk<ClaimPage>, ValidationProblem>> HandleAsync(
        [AsParameters] ListClaimsQuery query, NpgsqlDataSource dataSource, Vocabularies.VocabularyCache vocabularies,
        CatalogueResults results, HttpContext http, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var sort = ParseSort(query);
        var limit = query.Limit ?? ListClaimsQueryValidator.DefaultLimit;
        ClaimCursor? cursor = query.Cursor is not null && ClaimCursor.TryDecode(query.Cursor, sort, out var decoded, out _) ? decoded : null;

        (filter, var unknown) = await filter.ResolveAsync(vocabularies, ct);
        if (unknown.Count > 0) return TypedResults.ValidationProblem(unknown, title: "Unknown vocabulary terms.");
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        var page = sort.Name == ClaimSort.Relevance ? await RankedPageAsync(connection, filter, sort, cursor, limit, results, ct) : null;
        var (items, next) = page ?? await QueriedPageAsync(connection, filter, sort, cursor, limit, ct);
        var nextCursor = next?.Encode();
        if (nextCursor is not null) http.Response.Headers.Link = $"<{NextPageUrl(http.Request, nextCursor)}>; rel=\"next\"";
        return Cached.Ok(new ClaimPage(items, nextCursor));
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
        ClaimFilter filter, ClaimSort sort, ClaimCursor? cursor, int limit, CatalogueResults results, CancellationToken ct)
    {
        var changes = await CatalogueResults.ChangesAsync(connection, ct);
        var ranking = await results.GetOrComputeAsync(CatalogueResults.Key(ClaimSort.Relevance, filter), changes, async () =>
        {
            var computed = await RelevanceRanking.ComputeAsync(connection, filter, sort, results.RankingDepth, ct);
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

    private static ClaimSort ParseSort(ListClaimsQuery query)
    {
        ClaimSort.TryParse(ClaimSort.NameOrDefault(query.Sort, query.Q is not null && query.Q.Trim().Length > 0), out var sort);
        return sort;
    }

    private static string NextPageUrl(HttpRequest request, string cursor)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => !p.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("cursor", cursor));
        return $"{request.PathBase}{request.Path}{QueryString.Create(query)}";
    }

    private sealed class SortedClaimRow : ClaimRow
    {
        public object SortValue { get; init; } = null!;
    }
}
