using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace EvidenceApi.Infrastructure;

public sealed class MigrationChecksumException(string message) : Exception(message);

/// <summary>
/// Applies db/migrations/*.sql in file-name order, each in its own transaction with its journal row.
/// A session advisory lock serialises instances starting together; an applied script whose
/// checksum changed stops everything, because forward-only scripts must never be edited.
/// </summary>
public sealed class MigrationRunner([FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Arbitrary constant shared by every instance: "EVIDENCE" in ASCII.
    private const long AdvisoryLockKey = 0x45564944454E4345;

    public async Task<IReadOnlyList<string>> ApplyAsync(string migrationsFolder, CancellationToken ct)
    {
        var scripts = Directory.GetFiles(migrationsFolder, "*.sql")
            .Select(path => new Script(Path.GetFileName(path), File.ReadAllText(path)))
            .OrderBy(s => s.FileName, StringComparer.Ordinal)
            .ToList();

        // Advisory locks belong to a session: this must be a direct connection, not a transaction-mode pooler.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(@AdvisoryLockKey)", new { AdvisoryLockKey }, cancellationToken: ct));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                create table if not exists schema_migrations (
                    filename    text primary key,
                    sha256      text not null,
                    applied_at  timestamptz not null default now()
                )
                """, cancellationToken: ct));

            var applied = (await connection.QueryAsync<(string FileName, string Sha256)>(
                    new CommandDefinition("select filename, sha256 from schema_migrations", cancellationToken: ct)))
                .ToDictionary(row => row.FileName, row => row.Sha256);

            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.FileName, out var sha) && sha != script.Sha256)
                    throw new MigrationChecksumException(
                        $"Migration {script.FileName} was edited after it was applied (checksum {sha} in the database, {script.Sha256} on disk). Add a new migration instead.");
            }

            var newlyApplied = new List<string>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.FileName)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into schema_migrations (filename, sha256) values (@FileName, @Sha256)",
                    script, transaction, cancellationToken: ct));
                await transaction.CommitAsync(ct);
                logger.LogInformation("Applied migration {Migration}", script.FileName);
                newlyApplied.Add(script.FileName);
            }
            return newlyApplied;
        }
        finally
        {
            // A broken connection has already released its session lock.
            if (connection.State == System.Data.ConnectionState.Open)
                await connection.ExecuteAsync("select pg_advisory_unlock(@AdvisoryLockKey)", new { AdvisoryLockKey });
        }
    }

    private sealed record Script(string FileName, string Sql)
    {
        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Sql)));
    }
}
