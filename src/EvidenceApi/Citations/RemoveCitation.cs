using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Citations;

public static class RemoveCitation
{
    /// <summary>Withdraws a citation (it stays in the claim's history) and returns the claim as it is after.</summary>
    public static Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, Guid citationId, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
        ClaimChange.RunAsync(http, dataSource, id,
            async change =>
            {
                var current = await change.ReadClaimAsync();
                if (current.Citations.All(c => c.Id != citationId))
                    return ClaimChangeStep.Refuse(Problems.NotFound($"Claim {id} has no citation {citationId}."));
                if (current.Citations.Count == 1 && PatchClaim.CheckGrade(current.EvidenceLevel, citations: 0) is not null)
                    return ClaimChangeStep.Refuse(Problems.Conflict("The grade rests on this citation.",
                        $"This is the claim's last citation and the claim is graded `{Slugs.Of(current.EvidenceLevel)}`. Grade it `insufficient` or `unassessed` first."));

                await change.ExecuteAsync(
                    "update citations set removed_at = now(), removed_by = @EditorId where id = @citationId and removed_at is null",
                    new { citationId, change.EditorId });
                return ClaimChangeStep.Done("citation-removed", citationDelta: -1,
                    detail: new { citation = current.Citations.Single(c => c.Id == citationId) });
            },
            (_, claim) => Task.FromResult(TypedResults.Ok(claim)), ct);
}
