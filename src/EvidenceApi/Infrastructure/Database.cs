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
        services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException(
                    $"Connection string 'ConnectionStrings:{ConnectionStringName}' (env ConnectionStrings__{ConnectionStringName}) is not set.");
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            // Fail fast while the database is unreachable, so that requests answer 503 within seconds,
            // unless the connection string chose its own timeouts.
            if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
            {
                builder.ConnectionStringBuilder.Timeout = 3;
                builder.ConnectionStringBuilder.CommandTimeout = 30;
            }
            // The same few statements run again and again: prepare them on each connection, which saves PostgreSQL
            // parsing and planning them every time. (Turn off with `Max Auto Prepare=0` behind a transaction-mode pooler
            // older than PgBouncer 1.21.)
            if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<Vocabularies.VocabularyCache>();
        services.AddSingleton<Claims.CatalogueResults>();
        services.AddSingleton<CatalogueSeeder>();
        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService<Claims.FacetCountCompaction>();
        return services;
    }

    /// <summary>The folder holding migrations/ and seed/, copied beside the binary at build time.</summary>
    public static string DbFolder(IConfiguration configuration) =>
        configuration["Database:Path"] ?? Path.Combine(AppContext.BaseDirectory, "db");
}
