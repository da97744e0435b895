using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>Writes the revision for a claim's current version: the claim as GET returns it after the change.</summary>
public static class ClaimRevisions
{
    public static async Task<ClaimResponse> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid claimId, string change, Guid? editorId, CancellationToken ct, object? detail = null)
    {
        var claim = await ClaimReader.GetAsync(connection, claimId, ct, transaction)
            ?? throw new InvalidOperationException($"Claim {claimId} vanished inside its own transaction.");
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into claim_revisions (claim_id, version, change, editor_id, changed_at, snapshot, detail)
            values (@claimId, @version, @change, @editorId, @changedAt, @snapshot::jsonb, @detail::jsonb)
            """,
            new
            {
                claimId,
                version = claim.Version,
                change,
                editorId,
                changedAt = claim.UpdatedAt,
                snapshot = JsonSerializer.Serialize(claim, ApiJson.Options),
                detail = detail is null ? null : JsonSerializer.Serialize(detail, ApiJson.Options)
            },
            transaction, cancellationToken: ct));
        return claim;
    }
}
