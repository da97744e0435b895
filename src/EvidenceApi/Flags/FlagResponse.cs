using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Flags;

/// <summary>Why an editor flags a claim.</summary>
public enum FlagReason { Unsupported, Overstated, Contradicted, Misquoted, Outdated, Other }

/// <summary>How a flag was closed.</summary>
public enum FlagResolution { Fixed, Dismissed }

/// <summary>Open until resolved.</summary>
public enum FlagState { Open, Resolved }

/// <summary>An editor's mark that a claim is unsupported or wrong. Flags are never deleted.</summary>
/// <param name="Id">Flag id.</param>
/// <param name="ClaimId">The flagged claim.</param>
/// <param name="Reason">Why the claim was flagged.</param>
/// <param name="Note">The editor's explanation.</param>
/// <param name="State">open or resolved.</param>
/// <param name="RaisedBy">Name of the editor who raised it.</param>
/// <param name="RaisedAt">When it was raised (UTC).</param>
/// <param name="Resolution">fixed or dismissed; null while open.</param>
/// <param name="ResolutionNote">Note given on resolving.</param>
/// <param name="ResolvedBy">Name of the editor who resolved it.</param>
/// <param name="ResolvedAt">When it was resolved (UTC).</param>
public sealed record FlagResponse(Guid Id, Guid ClaimId, FlagReason Reason, string Note, FlagState State, string RaisedBy,
    DateTime RaisedAt, FlagResolution? Resolution, string? ResolutionNote, string? ResolvedBy, DateTime? ResolvedAt);

public static class FlagReader
{
    public const string Select = """
        select f.id, f.claim_id, f.reason, f.note, r.name as raised_by, f.raised_at, f.resolution, f.resolution_note,
               v.name as resolved_by, f.resolved_at
        from flags f
        join editors r on r.id = f.raised_by
        left join editors v on v.id = f.resolved_by
        """;

    public static async Task<FlagResponse?> GetAsync(NpgsqlConnection connection, Guid flagId, CancellationToken ct,
        NpgsqlTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<FlagRow>(new CommandDefinition(Select + " where f.id = @flagId",
            new { flagId }, transaction, cancellationToken: ct)))?.ToResponse();

    public sealed class FlagRow
    {
        public Guid Id { get; init; }
        public Guid ClaimId { get; init; }
        public string Reason { get; init; } = "";
        public string Note { get; init; } = "";
        public string RaisedBy { get; init; } = "";
        public DateTime RaisedAt { get; init; }
        public string? Resolution { get; init; }
        public string? ResolutionNote { get; init; }
        public string? ResolvedBy { get; init; }
        public DateTime? ResolvedAt { get; init; }

        public FlagResponse ToResponse() => new(Id, ClaimId, Slugs.Parse<FlagReason>(Reason), Note,
            Resolution is null ? FlagState.Open : FlagState.Resolved, RaisedBy, RaisedAt,
            Resolution is null ? null : Slugs.Parse<FlagResolution>(Resolution), ResolutionNote, ResolvedBy, ResolvedAt);
    }
}
