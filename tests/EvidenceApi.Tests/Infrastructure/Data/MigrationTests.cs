using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure.Data;

public sealed class MigrationTests : IAsyncLifetime
{
    private static readonly string Migrations = Path.Combine(AppContext.BaseDirectory, "db", "migrations");
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.SharedAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<NpgsqlDataSource> EmptyDatabaseAsync() => NpgsqlDataSource.Create(await _server.CreateDatabaseAsync());

    private static MigrationRunner Runner(NpgsqlDataSource db) => new(db, NullLogger<MigrationRunner>.Instance);

    private static async Task<long> JournalCountAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("select count(*) from schema_migrations");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Migrations_apply_to_an_empty_database_in_order_and_rerun_as_a_no_op()
    {
        await using var db = await EmptyDatabaseAsync();
        IReadOnlyList<string> scripts = Directory.GetFiles(Migrations, "*.sql").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(scripts);

        Assert.Equal(scripts, await Runner(db).ApplyAsync(Migrations, default));
        Assert.Empty(await Runner(db).ApplyAsync(Migrations, default));
        Assert.Equal(scripts.Count, await JournalCountAsync(db));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_stops_the_runner()
    {
        await using var db = await EmptyDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory().FullName;
        foreach (var file in Directory.GetFiles(Migrations)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        await Runner(db).ApplyAsync(folder, default);

        var first = Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal).First();
        await File.AppendAllTextAsync(first, "\n-- an innocent-looking edit\n");
        var error = await Assert.ThrowsAsync<MigrationChecksumException>(() => Runner(db).ApplyAsync(folder, default));
        Assert.Contains(Path.GetFileName(first), error.Message);
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_trace_and_no_journal_row()
    {
        await using var db = await EmptyDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory().FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "0001_ok.sql"), "create table kept (id int);");
        await File.WriteAllTextAsync(Path.Combine(folder, "0002_broken.sql"), "create table half (id int); select * from no_such_table;");
        await Assert.ThrowsAsync<PostgresException>(() => Runner(db).ApplyAsync(folder, default));

        await using var command = db.CreateCommand("select to_regclass('kept') is not null, to_regclass('half') is not null");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.True(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
        Assert.Equal(1, await JournalCountAsync(db));
    }

    [Fact]
    public async Task Instances_starting_together_apply_each_migration_once()
    {
        await using var db = await EmptyDatabaseAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Runner(db).ApplyAsync(Migrations, default))));
        var scripts = Directory.GetFiles(Migrations, "*.sql").Length;
        Assert.Equal(scripts, runs.Sum(r => r.Count));
        Assert.Equal(scripts, await JournalCountAsync(db));
    }

    [Fact]
    public async Task Seeding_twice_or_concurrently_loads_the_article_once()
    {
        await using var db = await EmptyDatabaseAsync();
        await Runner(db).ApplyAsync(Migrations, default);
        var seeder = new CatalogueSeeder(db, NullLogger<CatalogueSeeder>.Instance);
        var seed = Path.Combine(AppContext.BaseDirectory, "db", "seed");
        var loaded = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => seeder.SeedAsync(seed, default))));
        Assert.Equal(0, await seeder.SeedAsync(seed, default));

        await using var command = db.CreateCommand("select count(*) from claims");
        Assert.Equal((long)loaded.Sum(), await command.ExecuteScalarAsync());
        Assert.Single(loaded, n => n > 0);
    }
}
