using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace EvidenceApi.Infrastructure;

/// <summary>A PostgreSQL standby that anonymous reads may use, and what the last check found.</summary>
public sealed class Replica(string name, NpgsqlDataSource dataSource)
{
    public string Name { get; } = name;
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Replaced whole by each check (and marked down at once when a request cannot reach it).</summary>
    public ReplicaState State { get; set; } = ReplicaState.Unchecked;
}

/// <param name="Reachable">It answered and is in recovery (a standby, not a promoted server).</param>
/// <param name="ReplayLsn">The WAL position it has replayed up to.</param>
/// <param name="LagBytes">How far its replay trails the primary's WAL, in bytes.</param>
/// <param name="ReplayDelaySeconds">Seconds since the last transaction it replayed committed on the primary (grows while the primary is idle too).</param>
/// <param name="CheckedAt">When this was found.</param>
/// <param name="Error">Why it is not usable, when it is not.</param>
public sealed record ReplicaState(bool Reachable, ulong ReplayLsn, long LagBytes, double? ReplayDelaySeconds, DateTime CheckedAt, string? Error)
{
    public static readonly ReplicaState Unchecked = new(false, 0, long.MaxValue, null, DateTime.MinValue, "not checked yet");
}

/// <summary>
/// The primary and the optional streaming-replication standbys (`Database:Replicas:0`, `…:1`, … connection strings).
/// Anonymous GET and HEAD requests read from a standby that answered its last check, trails the primary by at most
/// `Database:MaxReplicaLagBytes` and has replayed at least the request's `Consistency-Token` (the commit position a write
/// answered with); everything else — writes, and every request that carries a key, so an editor always reads their own
/// writes — goes to the primary, as does a read no standby can serve.
/// </summary>
public sealed class DatabaseServers(NpgsqlDataSource primary, IReadOnlyList<Replica> replicas, IConfiguration configuration)
{
    public const string ConsistencyTokenHeader = "Consistency-Token";
    public const string RoleHeader = "Database-Role";

    private int _next;

    public NpgsqlDataSource Primary { get; } = primary;
    public IReadOnlyList<Replica> Replicas { get; } = replicas;
    public long MaxLagBytes { get; } = configuration.GetValue("Database:MaxReplicaLagBytes", 16L * 1024 * 1024);
    public TimeSpan CheckInterval { get; } = TimeSpan.FromSeconds(configuration.GetValue("Database:ReplicaCheckSeconds", 1.0));

    public bool Usable(Replica replica, ulong atLeast) => replica.State is { Reachable: true } state
        && state.LagBytes <= MaxLagBytes && state.ReplayLsn >= atLeast
        && DateTime.UtcNow - state.CheckedAt < 3 * CheckInterval;

    /// <summary>A standby for a read that must see at least <paramref name="atLeast"/>, in turn; null when none can.</summary>
    public Replica? ReplicaFor(ulong atLeast)
    {
        var usable = Replicas.Where(r => Usable(r, atLeast)).ToList();
        return usable.Count == 0 ? null : usable[(int)((uint)Interlocked.Increment(ref _next) % usable.Count)];
    }

    /// <summary>The position of the primary's WAL now: at or past the commit of every transaction that has committed.</summary>
    public static async Task<string> PrimaryPositionAsync(NpgsqlDataSource primary, CancellationToken ct)
    {
        await using var connection = await primary.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition("select pg_current_wal_lsn()::text", cancellationToken: ct)) ?? "0/0";
    }

    /// <summary>An LSN as PostgreSQL writes it (`16/B374D848`).</summary>
    public static bool TryParseLsn(string? text, out ulong lsn)
    {
        lsn = 0;
        if (text is null) return false;
        try
        {
            lsn = (ulong)NpgsqlLogSequenceNumber.Parse(text.Trim());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
