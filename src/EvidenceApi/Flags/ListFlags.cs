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

/// <summary>A page of flags, oldest first.</summary>
/// <param name="Items">The flags of this page.</param>
/// <param name="NextCursor">Pass as `cursor` for the next page; null on the last page.</param>
public sealed record FlagPage(IReadOnlyList<FlagResponse> Items, string? NextCursor);

public sealed class ListFlagsQueryValidator : AbstractValidator<ListFlagsQuery>
{
    public ListFlagsQueryValidator()
    {
        RuleFor(q => q.State).Must(s => s is null or "open" or "resolved" or "all").WithMessage("Allowed values: open, resolved, all.");
        RuleFor(q => q.Reason).MustBeValuesOf<ListFlagsQuery, FlagReason>();
        RuleFor(q => q.Limit).InclusiveBetween(1, 200);
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("The cursor is not one this API issued.");
    }
}

public static class ListFlags
{
    public static async Task<CachedOk<FlagPage>> HandleAsync([AsParameters] ListFlagsQuery query, NpgsqlDataSource dataSource,
        CancellationToken ct)
    {
        var limit = query.Limit ?? 50;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // flag ids are UUIDv7, so id order is the order they were raised
        var rows = (await connection.QueryAsync<FlagReader.FlagRow>(new CommandDefinition($"""
            {FlagReader.Select}
            where (@state = 'all' or (@state = 'open') = (f.resolution is null))
              and (@reasons::text[] is null or f.reason = any(@reasons))
              and (@claim::uuid is null or f.claim_id = @claim)
              and (@after::uuid is null or f.id > @after)
            order by f.id
            limit @fetch
            """,
            new
            {
                state = query.State ?? "all", reasons = CommaList.Split(query.Reason), claim = query.Claim,
                after = query.Cursor is null ? (Guid?)null : Guid.Parse(query.Cursor), fetch = limit + 1,
            }, cancellationToken: ct))).ToList();

        var next = rows.Count > limit ? rows[limit - 1].Id.ToString() : null;
        return Cached.Ok(new FlagPage(rows.Take(limit).Select(r => r.ToResponse()).ToList(), next));
    }
}
