using System.Data;
using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Changes;

/// <summary>One revision of something versioned.</summary>
/// <param name="Entity">claim (its citations and flags too), term, source, candidate or finding.</param>
/// <param name="Id">The entity's id; for a term, `{vocabulary}/{slug}`.</param>
/// <param name="Version">The entity's version after the change.</param>
/// <param name="Change">What the change was (created, updated, cited, flagged, retired, accepted…).</param>
/// <param name="Editor">Name of the editor who made it; null for shipped data.</param>
/// <param name="ChangedAt">When (UTC).</param>
/// <param name="Href">Where the entity is read.</param>
/// <param name="Data">The entity as it was after the change, as its GET returned it then.</param>
public sealed record ChangeResponse(string Entity, string Id, int Version, string Change, string? Editor, DateTime ChangedAt, string Href,
    JsonElement Data);

/// <summary>A page of the change feed.</summary>
/// <param name="Items">Revisions, in feed order.</param>
/// <param name="NextCursor">Where to read on from; always present: keep it and ask again later to get what has committed since.</param>
/// <param name="More">True when more revisions are readable now; false when the reader has caught up.</param>
public sealed record ChangePage(IReadOnlyList<ChangeResponse> Items, string NextCursor, bool More);

public sealed record ChangeFeedQuery
{
    /// <summary>`nextCursor` of the previous page; absent to read from the beginning.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    /// <summary>Page size, 1–200 (default 100).</summary>
    /// <example>100</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }
}

public sealed class ChangeFeedQueryValidator : AbstractValidator<ChangeFeedQuery>
{
    public ChangeFeedQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(q => q.Cursor).MustBeCursorOf(ChangeFeed.Order, 2, k => IsXact(k[0]) && k[1].ValueKind == JsonValueKind.Number && k[1].TryGetInt64(out _));
    }

    // transaction ids as PostgreSQL writes them: digits only (no sign, no spaces)
    private static bool IsXact(JsonElement key) => key.ValueKind == JsonValueKind.String && key.GetString() is { Length: > 0 and <= 20 } text
        && text.All(char.IsAsciiDigit) && ulong.TryParse(text, out _);
}

/// <summary>
/// Every revision (claims with their citations and flags, terms, sources, candidates, findings), in the order of
/// `revision_log` (migration 0013): by the id of the transaction that wrote it, then by when within it. Transaction ids are
/// handed out before commit, so a transaction with a lower id can commit after one with a higher id. The feed therefore
/// shows only revisions of transactions below the snapshot's xmin — every one of those has ended, and any transaction still
/// running, or starting later, has an id at or above it — read in the same snapshot. So nothing can ever appear behind a
/// cursor a reader holds: a revision is held back while an older transaction is open, and shown once it ends.
/// </summary>
public static class ChangeFeed
{
    public const string Order = "feed";

    private sealed class Row
    {
        public string Xact { get; init; } = "";
        public long Seq { get; init; }
        public string Entity { get; init; } = "";
        public Guid? EntityId { get; init; }
        public string? Vocabulary { get; init; }
        public string? Slug { get; init; }
        public int Version { get; init; }
        public string Change { get; init; } = "";
        public string? Editor { get; init; }
        public DateTime ChangedAt { get; init; }
        public string Snapshot { get; init; } = "{}";

        public ChangeResponse ToResponse()
        {
            var id = Entity == "term" ? $"{Vocabulary}/{Slug}" : EntityId!.Value.ToString();
            var href = Entity switch
            {
                "term" => $"/v1/{Vocabulary}/{Slug}",
                "claim" => $"/v1/claims/{id}",
                "source" => $"/v1/sources/{id}",
                "candidate" => $"/v1/candidates/{id}",
                _ => $"/v1/findings/{id}",
            };
            using var data = JsonDocument.Parse(Snapshot);
            return new ChangeResponse(Entity, id, Version, Change, Editor, DateTime.SpecifyKind(ChangedAt, DateTimeKind.Utc), href,
                data.RootElement.Clone());
        }
    }

    public static async Task<Results<CachedOk<ChangePage>, ProblemHttpResult>> HandleAsync([AsParameters] ChangeFeedQuery query,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var limit = query.Limit ?? 100;
        var (xact, seq) = ("0", 0L);
        if (query.Cursor is not null && PageCursor.TryDecode(query.Cursor, Order, 2, out var key, out _))
            (xact, seq) = (key[0].GetString()!, key[1].GetInt64());

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // one snapshot for both statements: the xmin must be that of the snapshot the rows are read in
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var xmin = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "select pg_snapshot_xmin(pg_current_snapshot())::text", transaction: transaction, cancellationToken: ct));
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            select l.xact::text as xact, l.seq, l.entity, l.entity_id, l.vocabulary, l.slug, l.version,
                   coalesce(cr.change, tr.change, sr.change, kr.change, fr.change) as change,
                   e.name as editor,
                   coalesce(cr.changed_at, tr.changed_at, sr.changed_at, kr.changed_at, fr.changed_at) as changed_at,
                   coalesce(cr.snapshot, tr.snapshot, sr.snapshot, kr.snapshot, fr.snapshot)::text as snapshot
            from revision_log l
            left join claim_revisions cr on l.entity = 'claim' and cr.claim_id = l.entity_id and cr.version = l.version
            left join term_revisions tr on l.entity = 'term' and tr.vocabulary = l.vocabulary and tr.slug = l.slug and tr.version = l.version
            left join source_revisions sr on l.entity = 'source' and sr.source_id = l.entity_id and sr.version = l.version
            left join candidate_revisions kr on l.entity = 'candidate' and kr.candidate_id = l.entity_id and kr.version = l.version
            left join finding_revisions fr on l.entity = 'finding' and fr.finding_id = l.entity_id and fr.version = l.version
            left join editors e on e.id = coalesce(cr.editor_id, tr.editor_id, sr.editor_id, kr.editor_id, fr.editor_id)
            where (l.xact, l.seq) > (@xact::xid8, @seq) and l.xact < @xmin::xid8
            order by l.xact, l.seq
            limit @fetch
            """, new { xact, seq, xmin, fetch = limit + 1 }, transaction, cancellationToken: ct))).ToList();
        await transaction.CommitAsync(ct);

        var items = rows.Take(limit).ToList();
        var next = items.Count == 0 ? (xact, seq) : (items[^1].Xact, items[^1].Seq);
        return Cached.Ok(new ChangePage(items.Select(r => r.ToResponse()).ToList(), PageCursor.Encode(Order, next.Item1, next.Item2),
            rows.Count > limit));
    }
}
