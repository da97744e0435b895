using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>Folds the facet-count deltas and catalogue changes the triggers append into their totals, every few
/// seconds, so that unfiltered facets and the change count read a few rows. Any number of instances may run it at once.</summary>
public sealed class FacetCountCompaction([FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource, ILogger<FacetCountCompaction> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await connection.ExecuteAsync(new CommandDefinition("select compact_facet_counts(), compact_catalogue_changes()", cancellationToken: stoppingToken));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // the next tick tries again; readers add the deltas meanwhile, so counts stay exact
                logger.LogDebug(e, "Facet-count compaction skipped");
            }
        }
    }
}
