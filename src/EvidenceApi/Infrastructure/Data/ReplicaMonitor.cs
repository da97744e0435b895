using Dapper;
using Npgsql;

namespace EvidenceApi.Infrastructure;

/// <summary>Checks each standby every `Database:ReplicaCheckSeconds`: is it up and in recovery, how far has it replayed,
/// how far does it trail the primary.</summary>
public sealed class ReplicaMonitor(DatabaseServers servers, ILogger<ReplicaMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (servers.Replicas.Count == 0) return;
        using var timer = new PeriodicTimer(servers.CheckInterval);
        do
        {
            ulong? primary = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(servers.CheckInterval * 2);
                DatabaseServers.TryParseLsn(await DatabaseServers.PrimaryPositionAsync(servers.Primary, timeout.Token), out var position);
                primary = position;
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // without the primary's position the lag is unknown; a standby's own answer still counts
            }
            await Task.WhenAll(servers.Replicas.Select(r => CheckAsync(r, primary, stoppingToken)));
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CheckAsync(Replica replica, ulong? primary, CancellationToken stoppingToken)
    {
        var was = replica.State;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(servers.CheckInterval * 2);
            await using var connection = await replica.DataSource.OpenConnectionAsync(timeout.Token);
            var row = await connection.QuerySingleAsync<(bool Recovering, string? Replayed, double? Delay)>(new CommandDefinition("""
                select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,
                       extract(epoch from now() - pg_last_xact_replay_timestamp())::float8
                """, cancellationToken: timeout.Token));
            DatabaseServers.TryParseLsn(row.Replayed, out var replayed);
            var lag = primary is { } p ? (long)Math.Max(0, (decimal)p - replayed) : was.LagBytes;
            replica.State = new ReplicaState(row.Recovering, replayed, lag, row.Delay, DateTime.UtcNow,
                row.Recovering ? null : "not in recovery: not a standby");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException
                                  && !stoppingToken.IsCancellationRequested)
        {
            replica.State = was with { Reachable = false, CheckedAt = DateTime.UtcNow, Error = e.Message };
        }
        if (was.Reachable != replica.State.Reachable)
            logger.LogWarning("Replica {Replica} is now {State}: {Error}", replica.Name, replica.State.Reachable ? "reachable" : "unreachable",
                replica.State.Error ?? "ok");
    }
}
