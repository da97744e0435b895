using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Review;

/// <summary>A claim in the review queue, with why it is there.</summary>
/// <param name="Tier">1 open flags, 2 overclaimed, 3 asserted with no citation, 4 suggested with no citation, 5 speculative with no citation.</param>
/// <param name="Reasons">Why, in words.</param>
/// <param name="Since">Since when it has waited: its oldest open flag (tier 1), else when the claim was added.</param>
/// <param name="Claim">The claim.</param>
public sealed record ReviewQueueItem(int Tier, IReadOnlyList<string> Reasons, DateTime Since, ClaimResponse Claim);

public sealed record ReviewQueueQuery
{
    /// <summary>Source ids (UUIDs), comma-separated.</summary>
    [FromQuery(Name = "source")]
    public string? Source { get; init; }

    /// <summary>Condition slugs or codes, comma-separated; narrower conditions are included.</summary>
    /// <example>chronic-pain</example>
    [FromQuery(Name = "condition")]
    public string? Condition { get; init; }

    /// <summary>Page size, 1–200 (default 50).</summary>
    /// <example>50</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>`nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }
}

public sealed class ReviewQueueQueryValidator : AbstractValidator<ReviewQueueQuery>
{
    public ReviewQueueQueryValidator()
    {
        RuleFor(q => q.Source).MustBeUuids();
        RuleFor(q => q.Condition).MustBeTerms();
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(q => q.Cursor).MustBeCursorOf(ReviewQueue.Order, 3,
            k => PageCursor.IsInteger(k[0]) && PageCursor.IsTime(k[1]) && PageCursor.IsUuid(k[2]));
    }
}

/// <summary>
/// The claims that most need an editor, riskiest first: open flags (oldest flag first), then overclaims, then claims with no
/// citation by how strongly they are worded (oldest first within each). Cited claims that do not overclaim are not in it.
/// The tier is a generated column of claims (migration 0013); flagged claims are found from the open flags, the rest
/// through an index in queue order, so a page costs the same at any size.
/// </summary>
public static class ReviewQueue
{
    public const string Order = "risk";

    private sealed record Entry(Guid Id, int Tier, DateTime Since);

    private const int RareBelow = 5000;

    public static async Task<Results<Ok<Page<ReviewQueueItem>>, ProblemHttpResult>> HandleAsync([AsParameters] ReviewQueueQuery query,
        NpgsqlDataSource dataSource, VocabularyCache vocabularies, HttpContext http, CancellationToken ct)
    {
        var limit = query.Limit ?? 50;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        string[]? conditions = null;
        if (CommaList.Split(query.Condition) is { } named)
        {
            var errors = new List<string>();
            conditions = (await vocabularies.GetAsync(connection, ct)).Resolve(Vocabulary.Conditions, named, includeNarrower: true, errors);
            if (errors.Count > 0) return Problems.Validation(new Dictionary<string, string[]> { ["condition"] = [.. errors] }, "Unknown term.");
        }
        var sources = CommaList.Split(query.Source)?.Select(Guid.Parse).ToArray();
        var (tier, since, id) = (0, DateTime.MinValue, Guid.Empty);
        if (query.Cursor is not null && PageCursor.TryDecode(query.Cursor, Order, 3, out var key, out _))
            (tier, since, id) = (key[0].GetInt32(), key[1].GetDateTime().ToUniversalTime(), key[2].GetGuid());

        var filters = (sources is null ? "" : " and c.source_id = any(@sources)") + (conditions is null ? "" : " and c.conditions && @conditions");
        var parameters = new { sources, conditions, tier, since, id, fetch = limit + 1 };
        var entries = new List<Entry>();
        if (tier <= 1)
        {
            entries.AddRange(await connection.QueryAsync<Entry>(new CommandDefinition($"""
                select c.id, 1 as tier, f.since
                from (select claim_id, min(raised_at) as since from flags where resolution is null group by claim_id) f
                join claims c on c.id = f.claim_id
                where c.retired_at is null and c.review_tier = 1{filters}
                  and (1, f.since, c.id) > (@tier, @since, @id)
                order by f.since, c.id
                limit @fetch
                """, parameters, cancellationToken: ct)));
        }
        if (entries.Count <= limit)
        {
            // Walking the queue's index and skipping claims of other conditions is fast while the condition is common; for a
            // rare one it would walk most of the index, so its few claims are found through the conditions' index and sorted.
            var rare = conditions is not null && await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
                select count(*)::int from (select from claims c where c.retired_at is null and c.review_tier between 2 and 5{filters}
                                           limit {RareBelow}) m
                """, parameters, cancellationToken: ct)) < RareBelow;
            var from = rare
                ? $"(select * from claims c where c.retired_at is null and c.review_tier between 2 and 5{filters} offset 0) c"
                : "claims c";
            entries.AddRange(await connection.QueryAsync<Entry>(new CommandDefinition($"""
                select c.id, c.review_tier::int as tier, c.created_at as since
                from {from}
                where c.retired_at is null and c.review_tier between 2 and 5{filters}
                  and (c.review_tier, c.created_at, c.id) > (greatest(@tier, 2), @since, @id)
                order by c.review_tier, c.created_at, c.id
                limit @fetch
                """, parameters with { since = tier < 2 ? DateTime.MinValue : since, id = tier < 2 ? Guid.Empty : id },
                cancellationToken: ct)));
        }

        var page = entries.Take(limit + 1).ToList();
        var claims = (await ClaimReader.ReadAsync<ClaimRow>(connection, ClaimReader.SelectClaims + " where c.id = any(@ids)",
            new { ids = page.Select(e => e.Id).ToArray() }, ct)).ToDictionary(c => c.Claim.Id, c => c.Claim);
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Ok(Paging.Of(page.Where(e => claims.ContainsKey(e.Id)).ToList(), limit,
            e => new ReviewQueueItem(e.Tier, Reasons(e.Tier, claims[e.Id]), DateTime.SpecifyKind(e.Since, DateTimeKind.Utc), claims[e.Id]),
            Order, e => [e.Tier, DateTime.SpecifyKind(e.Since, DateTimeKind.Utc), e.Id]));
    }

    private static List<string> Reasons(int tier, ClaimResponse claim)
    {
        var reasons = new List<string>();
        if (claim.OpenFlags > 0) reasons.Add(claim.OpenFlags == 1 ? "1 open flag" : $"{claim.OpenFlags} open flags");
        if (claim.Overclaim == true)
            reasons.Add($"overclaimed: {Slugs.Of(claim.ClaimedStrength)} while the evidence is {Slugs.Of(claim.EvidenceLevel)}");
        if (claim.Citations.Count == 0) reasons.Add($"{Slugs.Of(claim.ClaimedStrength)} with no citation");
        return reasons;
    }
}
