using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Claims;
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
    public sealed record SeedFile(string About, IReadOnlyList<SeedFinding> Findings);
    public sealed record SeedFinding(SynthesisRequest Synthesis, string Locator, string Statement, IReadOnlyList<string> Conditions,
        IReadOnlyList<string> Cannabinoids, string Population, string Outcome, Direction Direction, CitationGrade Level, string? Note,
        IReadOnlyList<string> VerifiedIn);

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
            var inserted = await connection.ExecuteAsync(new CommandDefinition("""
                insert into findings (id, synthesis_doi, synthesis_title, synthesis_year, locator, statement, conditions, interventions,
                                      population, outcome, direction, level_scheme, level, note, verified_in, created_at, updated_at)
                values (@id, @Doi, @Title, @Year, @Locator, @Statement, @conditions, @interventions, @Population, @Outcome, @direction,
                        @scheme, @Value, @Note, @verifiedIn, clock_timestamp(), clock_timestamp())
                on conflict do nothing
                """, new
            {
                id,
                f.Synthesis.Doi,
                f.Synthesis.Title,
                f.Synthesis.Year,
                f.Locator,
                f.Statement,
                conditions = f.Conditions.ToArray(),
                interventions = f.Cannabinoids.ToArray(),
                f.Population,
                f.Outcome,
                direction = Slugs.Of(f.Direction),
                scheme = Slugs.Of(f.Level.Scheme),
                f.Level.Value,
                f.Note,
                verifiedIn = f.VerifiedIn.ToArray(),
            }, transaction, cancellationToken: ct));
            if (inserted == 0) continue;
            await FindingStore.RecordRevisionAsync(connection, transaction, id, "created", editorId: null, ct);
            added++;
        }
        await transaction.CommitAsync(ct);
        if (added > 0) logger.LogInformation("Seeded {Count} findings", added);
    }
}
