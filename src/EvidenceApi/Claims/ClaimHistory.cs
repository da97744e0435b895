using System.Text.Json;
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
/// <param name="Claim">The claim as it was after the change.</param>
public sealed record RevisionResponse(int Version, string Change, string? Editor, DateTime ChangedAt, ClaimResponse Claim);

/// <summary>A page of revisions, oldest first.</summary>
/// <param name="Items">The revisions of this page.</param>
/// <param name="NextCursor">Pass as `cursor` for the next page; null on the last page.</param>
public sealed record RevisionPage(IReadOnlyList<RevisionResponse> Items, string? NextCursor);

public static class ClaimHistory
{
    public static async Task<Results<CachedOk<RevisionPage>, ProblemHttpResult>> HandleAsync(Guid id, NpgsqlDataSource dataSource,
        CancellationToken ct,
        [FromQuery(Name = "limit")] int? limit = null,
        [FromQuery(Name = "cursor")] int? cursor = null)
    {
        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > 500)
            return TypedResults.Problem("`limit` must be between 1 and 500.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 500."] } });

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from claims where id = @id)", new { id }, cancellationToken: ct));
        if (!exists) return Problems.NotFound($"There is no claim {id}.");

        var rows = (await connection.QueryAsync<(int Version, string Change, string? Editor, DateTime ChangedAt, string Snapshot)>(
            new CommandDefinition("""
                select r.version, r.change, e.name, r.changed_at, r.snapshot::text
                from claim_revisions r left join editors e on e.id = r.editor_id
                where r.claim_id = @id and r.version > @after
                order by r.version
                limit @fetch
                """, new { id, after = cursor ?? 0, fetch = pageSize + 1 }, cancellationToken: ct))).ToList();

        var items = rows.Take(pageSize).Select(r => new RevisionResponse(r.Version, r.Change, r.Editor, r.ChangedAt,
            JsonSerializer.Deserialize<ClaimResponse>(r.Snapshot, ApiJson.Options)!)).ToList();
        return Cached.Ok(new RevisionPage(items, rows.Count > pageSize ? items[^1].Version.ToString() : null));
    }
}
