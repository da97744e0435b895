using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Findings;

/// <summary>
/// Loads db/seed/findings.json: findings transcribed from public copies of their syntheses, each checked in two. A finding's
/// id is derived from its DOI and locator, so every database gives it the same id and a second run adds nothing; one an
/// admin has since edited or retired is left as it is.
/// </summary>
public sealed class FindingSeeder([FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource, ILogger<FindingSeeder> logger) : IDatabaseSeed
{
    /// <summary>The file's findings have the shape an admin's POST /v1/findings takes.</summary>
    public sealed record SeedFile(string About, IReadOnlyList<CreateFindingRequest> Findings);

    public static SeedFile Read(string seedFolder) =>
        JsonSerializer.Deserialize<SeedFile>(File.ReadAllText(Path.Combine(seedFolder, "findings.json")), ApiJson.Options)
            ?? throw new InvalidDataException("db/seed/findings.json is empty.");

    public static Guid IdOf(string doi, string locator) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{doi.ToLowerInvariant()}#{locator}")).AsSpan(0, 16));

    public async Task SeedAsync(string seedFolder, CancellationToken ct)
    {
        var seed = Read(seedFolder);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = 0;
        foreach (var f in seed.Findings)
        {
            var id = IdOf(f.Synthesis.Doi, f.Locator);
            if (!await FindingStore.InsertAsync(connection, transaction, id, f, ct)) continue;
            await FindingStore.RecordRevisionAsync(connection, transaction, id, "created", editorId: null, ct);
            added++;
        }
        await transaction.CommitAsync(ct);
        if (added > 0) logger.LogInformation("Seeded {Count} findings", added);
    }
}
