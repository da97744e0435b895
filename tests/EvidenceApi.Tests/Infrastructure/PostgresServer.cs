using Npgsql;
using Testcontainers.PostgreSql;

namespace EvidenceApi.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use: the one EVIDENCE_TEST_CONNECTION names (scripts/test.sh starts one
/// when no Docker engine answers), else a Testcontainers container. Each test class gets databases of its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly PostgreSqlContainer? _container;
    private readonly string _serverConnectionString;

    private PostgresServer(string serverConnectionString, PostgreSqlContainer? container)
    {
        _serverConnectionString = serverConnectionString;
        _container = container;
    }

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;

    public static async Task<PostgresServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("EVIDENCE_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new PostgresServer(fromEnvironment, null);

        var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
        await container.StartAsync();
        return new PostgresServer(container.GetConnectionString(), container);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "evidence_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }
}
