using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Flags;

public sealed record ListFlagsQuery
{
    /// <summary>open, resolved or all (default).</summary>
    /// <example>open</example>
    [FromQuery(Name = "state")]
    public string? State { get; init; }

    /// <summary>Reasons, comma-separated: unsupported, overstated, contradicted, misquoted, outdated, other.</summary>
    /// <example>unsupported,overstated</example>
    [FromQuery(Name = "reason")]
    public string? Reason { get; init; }

    /// <summary>Only flags on this claim.</summary>
    [FromQuery(Name = "claim")]
    public Guid? Claim { get; init; }

    /// <summary>Page size, 1–200 (default 50).</summary>
    /// <example>50</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>`nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }
}

public sealed class ListFlagsQueryValidator : AbstractValidator<ListFlagsQuery>
{
    public ListFlagsQueryValidator()
    {
        RuleFor(q => q.State).Must(s => s is null or "open" or "resolved" or "all").WithMessage("Allowed values: open, resolved, all.");
        RuleFor(q => q.Reason).MustBeValuesOf<ListFlagsQuery, FlagReason>();
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(q => q.Cursor).MustBeCursorOf(ListFlags.Order, 1, key => PageCursor.IsUuid(key[0]));
    }
}

public static class ListFlags
{
    /// <summary>Flags are listed in the order they were raised: their ids are UUIDv7.</summary>
    public const string Order = "raised";

    public static async Task<CachedOk<Page<FlagResponse>>> HandleAsync([AsParameters] ListFlagsQuery query, NpgsqlDataSource dataSource,
        CancellationToken ct)
    {
        var limit = query.Limit ?? 50;
        // only the tests a request asks for go into the statement, so that each can use its index
        var tests = new List<string>();
        if (query.State is "open") tests.Add("f.resolution is null");
        if (query.State is "resolved") tests.Add("f.resolution is not null");
        if (query.Reason is not null) tests.Add("f.reason = any(@reasons)");
        if (query.Claim is not null) tests.Add("f.claim_id = @claim");
        Guid? after = null;
        if (query.Cursor is not null && PageCursor.TryDecode(query.Cursor, Order, 1, out var key, out _, k => PageCursor.IsUuid(k[0]))) after = key[0].GetGuid();
        if (after is not null) tests.Add("f.id > @after");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<FlagReader.FlagRow>(new CommandDefinition($"""
            {FlagReader.Select}
            {(tests.Count == 0 ? "" : "where " + string.Join("\n  and ", tests))}
            order by f.id
            limit @fetch
            """,
            new { reasons = CommaList.Split(query.Reason), claim = query.Claim, after, fetch = limit + 1 }, cancellationToken: ct))).ToList();
        return Cached.Ok(Paging.Of(rows, limit, r => r.ToResponse(), Order, r => [r.Id]));
    }
}
