using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace EvidenceApi.Infrastructure;

public static class Database
{
    public const string ConnectionStringName = "Evidence";

    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        // Read when first needed, so configuration added by hosts and tests after this call counts.
        services.AddSingleton(sp => Build(sp.GetRequiredService<IConfiguration>(), forRequests: true));
        services.AddKeyedSingleton(Maintenance, (sp, _) => Build(sp.GetRequiredService<IConfiguration>(), forRequests: false));
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var replicas = configuration.GetSection("Database:Replicas").GetChildren()
                .Where(c => !string.IsNullOrWhiteSpace(c.Value))
                .Select(c => new Replica($"replica-{c.Key}", Build(configuration, forRequests: true, c.Value!)))
                .ToList();
            return new DatabaseServers(sp.GetRequiredService<NpgsqlDataSource>(), replicas, configuration);
        });
        services.AddHostedService<ReplicaMonitor>();
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<DatabaseStartup>();
        return services;
    }

    /// <summary>
    /// The data source of work that is not a request (migrations, seeding, loading, compaction): same database, but
    /// statements may run as long as they need.
    /// </summary>
    public const string Maintenance = "maintenance";

    private static NpgsqlDataSource Build(IConfiguration configuration, bool forRequests, string? replica = null)
    {
        var connectionString = replica ?? configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string 'ConnectionStrings:{ConnectionStringName}' (env ConnectionStrings__{ConnectionStringName}) is not set.");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        bool Names(string pattern) => Regex.IsMatch(connectionString, $@"(^|;)\s*{pattern}\s*=", RegexOptions.IgnoreCase);

        // A statement against a server that does not answer ends after about its command timeout plus twice the connect
        // timeout (Npgsql's cancel request connects and waits too). Requests answer by their deadlines whatever a statement
        // does (RequestDeadlines); these bound how long stuck work holds a connection after that: 1 s to connect,
        // `Database:StatementTimeoutSeconds` (default 5) per statement. Settings the connection string names itself win.
        if (!Names("timeout")) settings.Timeout = forRequests ? 1 : 15;
        if (!Names("command ?timeout")) settings.CommandTimeout = forRequests ? configuration.GetValue("Database:StatementTimeoutSeconds", 5) : 600;
        if (!Names("cancellation ?timeout")) settings.CancellationTimeout = 500;
        // The same few statements run again and again: prepare them on each connection, which saves PostgreSQL
        // parsing and planning them every time. (Turn off with `Max Auto Prepare=0` behind a transaction-mode pooler
        // older than PgBouncer 1.21.)
        if (!Names("max ?auto ?prepare"))
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }
        if (!forRequests && !Names("max(imum)? ?pool ?size")) settings.MaxPoolSize = 8;
        return builder.Build();
    }

    /// <summary>The folder holding migrations/ and seed/, copied beside the binary at build time.</summary>
    public static string DbFolder(IConfiguration configuration) =>
        configuration["Database:Path"] ?? Path.Combine(AppContext.BaseDirectory, "db");
}
