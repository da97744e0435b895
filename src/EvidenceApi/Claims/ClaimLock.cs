using Dapper;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>
/// The frame of every change to an existing claim, inside one transaction: lock the row, check If-Match,
/// let the caller change it, then bump its version and record the revision. Holding the row lock between
/// the check and the bump is what makes a lost update impossible.
/// </summary>
public static class ClaimLock
{
    public static async Task<ProblemHttpResult?> AcquireAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid claimId, HttpRequest request, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(int Version, bool Retired)>(new CommandDefinition(
            "select version, retired_at is not null from claims where id = @claimId for update",
            new { claimId }, transaction, cancellationToken: ct));
        if (row.Version == 0) return Problems.NotFound($"There is no claim {claimId}.");

        var precondition = Preconditions.CheckIfMatch(request, ETags.ForVersion(row.Version));
        if (precondition is not null) return precondition;
        if (row.Retired)
            return TypedResults.Problem("The claim is retired; retired claims are kept as they were.",
                statusCode: StatusCodes.Status409Conflict, title: "The claim is retired.");
        return null;
    }

    /// <summary>Bumps the version, applies the citation and open-flag count deltas, and writes the revision of the new version.</summary>
    public static async Task<ClaimResponse> CommitChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid claimId, string change, Guid editorId, CancellationToken ct, int citationDelta = 0, int openFlagDelta = 0)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            update claims
            set version = version + 1, updated_at = clock_timestamp(),
                citation_count = citation_count + @citationDelta,
                open_flag_count = open_flag_count + @openFlagDelta
            where id = @claimId
            """, new { claimId, citationDelta, openFlagDelta }, transaction, cancellationToken: ct));
        return await ClaimRevisions.RecordAsync(connection, transaction, claimId, change, editorId, ct);
    }
}
