using EvidenceApi.Infrastructure;

namespace EvidenceApi.Cli;

/// <summary>`EvidenceApi migrate`, `EvidenceApi editors add|revoke`: one-shot commands that share the API's configuration.</summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["migrate", "editors"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var services = app.Services;
        var ct = CancellationToken.None;
        switch (args[0])
        {
            case "migrate":
                await DatabaseStartup.MigrateAndSeedAsync(services.GetRequiredService<MigrationRunner>(),
                    services.GetRequiredService<CatalogueSeeder>(), app.Configuration, ct);
                Console.WriteLine("Database is up to date.");
                return 0;
            default:
                Console.Error.WriteLine($"Unknown command '{string.Join(' ', args)}'.");
                return 2;
        }
    }
}
