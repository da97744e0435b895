using Npgsql;

namespace EvidenceApi.Infrastructure;

/// <summary>Data a feature loads once the schema is up to date (the seeded catalogue): each runs at most once per database.</summary>
public interface IDatabaseSeed
{
    Task SeedAsync(string seedFolder, CancellationToken ct);
}

/// <summary>Brings the database up to date before the server listens: migrations, then the seeds.</summary>
public sealed class DatabaseStartup(MigrationRunner migrations, IEnumerable<IDatabaseSeed> seeds, IConfiguration configuration,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (!configuration.GetValue("Database:MigrateOnStartup", true)) return;

        // The database may start after the API (compose, orchestrators): wait for it rather than crash.
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await MigrateAndSeedAsync(migrations, seeds, configuration, ct);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient || e.InnerException is System.Net.Sockets.SocketException)
            {
                logger.LogWarning("Database not reachable ({Message}); retrying in {Delay}s", e.Message, delay.TotalSeconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 10));
            }
        }
    }

    public static async Task MigrateAndSeedAsync(MigrationRunner migrations, IEnumerable<IDatabaseSeed> seeds, IConfiguration configuration,
        CancellationToken ct)
    {
        var folder = Database.DbFolder(configuration);
        await migrations.ApplyAsync(Path.Combine(folder, "migrations"), ct);
        foreach (var seed in seeds) await seed.SeedAsync(Path.Combine(folder, "seed"), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
