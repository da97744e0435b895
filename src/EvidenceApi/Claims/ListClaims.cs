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
        [AsParameters] ListClaimsQuery query, NpgsqlDataSource dataSource, Vocabularies.VocabularyCache vocabularies, HttpContext http, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var sort = ParseSort(query);
        var limit = query.Limit ?? ListClaimsQueryValidator.DefaultLimit;

        (filter, var unknown) = await filter.ResolveAsync(vocabularies, ct);
        if (unknown.Count > 0) return TypedResults.ValidationProblem(unknown, title: "Unknown vocabulary terms.");
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        var parameters = new DynamicParameters(filter);
        parameters.Add("Limit", limit + 1);
        var keyset = "";
        if (query.Cursor is not null && ClaimCursor.TryDecode(query.Cursor, sort, out var cursor, out _))
        {
            parameters.Add("AfterValue", cursor.Value);
            parameters.Add("AfterId", cursor.Id);
            keyset = sort.After;
        }

        var sql = $"""
            select {ClaimReader.Columns}, {sort.Expression} as sort_value
            {ClaimReader.From}
            {filter.WhereClause}
            {keyset}
            {sort.OrderBy}
            limit @Limit
            """;
        var rows = await ClaimReader.ReadAsync<SortedClaimRow>(connection, sql, parameters, ct);

        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1].Row;
            next = new ClaimCursor(sort.Name, last.SortValue, last.Id).Encode();
            http.Response.Headers.Link = $"<{NextPageUrl(http.Request, next)}>; rel=\"next\"";
        }
        return Cached.Ok(new ClaimPage(rows.Take(limit).Select(r => r.Claim).ToList(), next));
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
