using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>
/// Loads db/seed: the article the catalogue ships with and the claims pulled from it. Runs once per
/// database: the source's unique SHA-256 makes a second run, or a racing instance, a no-op.
/// </summary>
public sealed class CatalogueSeeder([FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource, ILogger<CatalogueSeeder> logger) : IDatabaseSeed
{
    public sealed record SeedFile(SeedSource Source, IReadOnlyList<SeedClaim> Claims);
    public sealed record SeedSource(string Title, string? Url, string TextFile);
    public sealed record SeedClaim(
        string Quote, TextPosition Position, string Section, IReadOnlyList<string> Conditions, IReadOnlyList<string> Cannabinoids,
        IReadOnlyList<AdministrationRoute> Routes, string Population, string? Comparator, string Effect, string Outcome,
        Direction Direction, ClaimedStrength ClaimedStrength);

    public static SeedFile Read(string seedFolder) =>
        JsonSerializer.Deserialize<SeedFile>(File.ReadAllText(Path.Combine(seedFolder, "claims.json")), ApiJson.Options)
            ?? throw new InvalidDataException("db/seed/claims.json is empty.");

    Task IDatabaseSeed.SeedAsync(string seedFolder, CancellationToken ct) => SeedAsync(seedFolder, ct);

    /// <summary>Loads the seed; returns the number of claims it added (0 when the database had it already).</summary>
    public async Task<int> SeedAsync(string seedFolder, CancellationToken ct)
    {
        var seed = Read(seedFolder);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(seedFolder, seed.Source.TextFile), ct);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        foreach (var claim in seed.Claims)
        {
            if (TextPositions.Slice(text, claim.Position.Start, claim.Position.End) != claim.Quote)
                throw new InvalidDataException($"Seed quote at {claim.Position.Start}-{claim.Position.End} is not the text there: \"{claim.Quote}\"");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var sourceId = Guid.CreateVersion7();
        // A concurrent seeder waits on the unique sha256, then inserts nothing.
        var sections = JsonSerializer.Serialize(Sources.SourceDocument.Read(text, Sources.SourceFormat.Text).Sections, ApiJson.Options);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into sources (id, title, url, text, sha256, sections) values (@sourceId, @Title, @Url, @text, @sha256, @sections::jsonb)
            on conflict (sha256) do nothing
            """, new { sourceId, seed.Source.Title, seed.Source.Url, text, sha256, sections }, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            // a database seeded before sources knew their sections gets them now (the text itself never changes), and
            // one seeded before sources had revisions gets the seed's first, so the change feed carries the source too
            // (read first: a database that has both is not written to at every start)
            var existing = await connection.QuerySingleAsync<(Guid Id, bool NoSections, bool HasRevision)>(new CommandDefinition("""
                select s.id, s.sections = '[]', exists (select from source_revisions r where r.source_id = s.id)
                from sources s where s.sha256 = @sha256
                """, new { sha256 }, transaction, cancellationToken: ct));
            if (existing.NoSections)
                await connection.ExecuteAsync(new CommandDefinition("update sources set sections = @sections::jsonb where id = @Id",
                    new { sections, existing.Id }, transaction, cancellationToken: ct));
            if (!existing.HasRevision) await Sources.SourceStore.RecordRevisionAsync(connection, transaction, existing.Id, "created", null, ct);
            await transaction.CommitAsync(ct);
            return 0;
        }
        await Sources.SourceStore.RecordRevisionAsync(connection, transaction, sourceId, "created", null, ct);

        foreach (var c in seed.Claims)
        {
            await ClaimWriter.InsertAsync(connection, transaction, new NewClaim(sourceId, c.Quote, c.Position.Start, c.Position.End,
                c.Section, c.Conditions, c.Cannabinoids, c.Routes, c.Population, c.Comparator, c.Effect, c.Outcome, c.Direction,
                c.ClaimedStrength), editorId: null, ct);
        }
        await transaction.CommitAsync(ct);
        logger.LogInformation("Seeded {Count} claims from {Title}", seed.Claims.Count, seed.Source.Title);
        return seed.Claims.Count;
    }
}
