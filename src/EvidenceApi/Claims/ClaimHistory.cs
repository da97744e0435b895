using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>One change to a claim, its citations or its flags.</summary>
/// <param name="Version">The claim's version after the change; versions have no gaps.</param>
/// <param name="Change">created, updated, graded, cited, citation-removed, flagged, flag-resolved or retired.</param>
/// <param name="Editor">Name of the editor who made it; null for the shipped seed.</param>
/// <param name="ChangedAt">When (UTC).</param>
/// <param name="Changes">Each field of the claim the change changed, with its value before and after (empty for `created`).</param>
/// <param name="Detail">What the change did that the claim's fields do not show: the citation added or withdrawn
/// (`citation`), the flag raised or resolved (`flag`, with its reason and resolution), the reason for retiring
/// (`reason`). Null for changes recorded before the API kept it.</param>
/// <param name="Claim">The claim as it was after the change.</param>
public sealed record RevisionResponse(int Version, string Change, string? Editor, DateTime ChangedAt, IReadOnlyList<FieldChange> Changes,
    JsonElement? Detail, ClaimResponse Claim);

/// <summary>A field of a claim a change changed.</summary>
/// <param name="Field">Its name, as GET /v1/claims/{id} shows it.</param>
/// <param name="Before">Its value before the change.</param>
/// <param name="After">Its value after.</param>
public sealed record FieldChange(string Field, JsonNode? Before, JsonNode? After);

public static class ClaimHistory
{
    private const string Order = "version";

    // every change moves these: they say nothing about what the change was
    private static readonly HashSet<string> Bookkeeping = ["version", "updatedAt"];

    public static async Task<Results<CachedOk<Page<RevisionResponse>>, ProblemHttpResult>> HandleAsync(Guid id, [AsParameters] PageQuery page,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (!page.TryAfter(Order, 1, k => PageCursor.IsInteger(k[0]), out var key)) return PageQuery.BadCursor();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from claims where id = @id)", new { id }, cancellationToken: ct));
        if (!exists) return Problems.NotFound($"There is no claim {id}.");

        // the revision before the page is read too: the first change of the page is told against it
        var after = key?[0].GetInt32() ?? 0;
        var rows = (await connection.QueryAsync<RevisionRow>(new CommandDefinition("""
                select r.version, r.change, e.name as editor, r.changed_at as changedat, r.snapshot::text as snapshot, r.detail::text as detail
                from claim_revisions r left join editors e on e.id = r.editor_id
                where r.claim_id = @id and r.version >= @from
                order by r.version
                limit @fetch
                """, new { id, from = Math.Max(after, 1), fetch = page.PageSize + 2 }, cancellationToken: ct))).ToList();

        var revisions = new List<(int Version, RevisionResponse Revision)>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Version <= after) continue;
            var before = i > 0 ? JsonNode.Parse(rows[i - 1].Snapshot)!.AsObject() : null;
            revisions.Add((rows[i].Version, ToResponse(rows[i], before)));
        }
        return Cached.Ok(Paging.Of(revisions, page.PageSize, r => r.Revision, Order, r => [r.Version]));
    }

    private static RevisionResponse ToResponse(RevisionRow row, JsonObject? before)
    {
        var after = JsonNode.Parse(row.Snapshot)!.AsObject();
        var changes = before is null ? [] : after
            .Where(field => !Bookkeeping.Contains(field.Key) && !JsonNode.DeepEquals(field.Value, before[field.Key]))
            .Select(field => new FieldChange(field.Key, before[field.Key]?.DeepClone(), field.Value?.DeepClone()))
            .ToList();
        return new RevisionResponse(row.Version, row.Change, row.Editor, row.ChangedAt, changes,
            row.Detail is null ? null : JsonDocument.Parse(row.Detail).RootElement.Clone(),
            after.Deserialize<ClaimResponse>(ApiJson.Options)!);
    }

    private sealed record RevisionRow(int Version, string Change, string? Editor, DateTime ChangedAt, string Snapshot, string? Detail);
}
