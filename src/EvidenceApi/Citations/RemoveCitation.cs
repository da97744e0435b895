using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Citations;

public static class RemoveCitation
{
    /// <summary>Withdraws a citation (it stays in the claim's history) and returns the claim as it is after.</summary>
    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, Guid citationId, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var locked = await ClaimLock.AcquireAsync(connection, transaction, id, http.Request, ct);
        if (locked is not null) return locked;

        var current = (await ClaimReader.GetAsync(connection, id, ct, transaction))!;
        if (current.Citations.All(c => c.Id != citationId))
            return Problems.NotFound($"Claim {id} has no citation {citationId}.");
        if (current.Citations.Count == 1)
        {
            var grade = PatchClaim.CheckGrade(current.EvidenceLevel, citations: 0);
            if (grade is not null)
                return TypedResults.Problem(
                    $"This is the claim's last citation and the claim is graded `{Slugs.Of(current.EvidenceLevel)}`. Grade it `insufficient` or `unassessed` first.",
                    statusCode: StatusCodes.Status409Conflict, title: "The grade rests on this citation.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "update citations set removed_at = now(), removed_by = @editorId where id = @citationId and removed_at is null",
            new { citationId, editorId = http.User.EditorId() }, transaction, cancellationToken: ct));
        var claim = await ClaimLock.CommitChangeAsync(connection, transaction, id, "citation-removed", http.User.EditorId(), ct, citationDelta: -1);
        await transaction.CommitAsync(ct);
        http.Response.Headers.ETag = ETags.ForVersion(claim.Version);
        return TypedResults.Ok(claim);
    }
}
