using System.Diagnostics;
using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace EvidenceApi.Synthetic;

/// <summary>
/// `EvidenceApi seed-synthetic --claims N [--seed S]`: fills the catalogue with N synthetic claims through
/// binary COPY, two sources at a time in parallel. Synthetic claims have no revisions: they exist to measure
/// queries, not editing. A seed that was already loaded is not loaded again.
/// </summary>
public sealed class SyntheticLoader([FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource, ILogger<SyntheticLoader> logger)
{
    public async Task<TimeSpan> LoadAsync(int claims, int seed, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var catalogue = new SyntheticCatalogue(seed);
        var sources = (claims + SyntheticCatalogue.ClaimsPerSource - 1) / SyntheticCatalogue.ClaimsPerSource;
        var editorId = await LoaderEditorAsync(ct);

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var first = catalogue.Source(0, Math.Min(claims, SyntheticCatalogue.ClaimsPerSource));
            if (await connection.ExecuteScalarAsync<bool>("select exists (select 1 from sources where sha256 = @Sha256)", first))
            {
                logger.LogInformation("Synthetic seed {Seed} is already loaded", seed);
                return watch.Elapsed;
            }
        }

        var workers = Math.Max(2, Environment.ProcessorCount);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            // Bulk load: losing the last transactions on a crash is fine, a rerun with the same seed redoes them.
            await connection.ExecuteAsync("set synchronous_commit = off");
            await SkipForeignKeyChecksAsync(connection);
            const int batch = 25;
            while (true)
            {
                var from = Interlocked.Add(ref next, batch) - batch + 1;
                if (from >= sources) return;
                var batchSources = Enumerable.Range(from, Math.Min(batch, sources - from))
                    .Select(i => catalogue.Source(i, Math.Min(SyntheticCatalogue.ClaimsPerSource, claims - i * SyntheticCatalogue.ClaimsPerSource)))
                    .ToList();
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await CopyAsync(connection, batchSources, editorId, ct);
                await transaction.CommitAsync(ct);
            }
        }, ct)));

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            // replica mode skipped the counting triggers: recount from the claims themselves, and count the load as a
            // change so that results kept by running API instances are computed again
            await connection.ExecuteAsync("select rebuild_facet_counts()", commandTimeout: 0);
            await connection.ExecuteAsync("insert into catalogue_changes values (1)");
            // VACUUM sets the visibility map, so the facet queries' link-table lookups stay index-only
            await connection.ExecuteAsync("vacuum (analyze) claim_conditions, claim_cannabinoids", commandTimeout: 0);
            await connection.ExecuteAsync("analyze sources, claims, citations, flags", commandTimeout: 0);
        }
        logger.LogInformation("Loaded {Claims} synthetic claims in {Seconds:F1} s", claims, watch.Elapsed.TotalSeconds);
        return watch.Elapsed;
    }

    // The generator writes only ids it made and slugs of the vocabularies, so per-row foreign-key triggers
    // would check nothing; a superuser may skip them (replica mode). Anyone else loads with them, more slowly.
    private async Task SkipForeignKeyChecksAsync(NpgsqlConnection connection)
    {
        try
        {
            await connection.ExecuteAsync("set session_replication_role = replica");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            logger.LogInformation("Not a superuser: loading with foreign-key checks");
        }
    }

    private async Task<Guid> LoaderEditorAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The synthetic citations and flags need an author; its key is random and revoked at once.
        return await connection.ExecuteScalarAsync<Guid>("""
            insert into editors (id, name, role, key_hash, revoked_at)
            values (@id, 'synthetic-loader', 'editor', @hash, now())
            on conflict (name) do update set name = excluded.name
            returning id
            """, new { id = Guid.CreateVersion7(), hash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) });
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<SyntheticSource> sources, Guid editorId, CancellationToken ct)
    {
        await using (var copy = await connection.BeginBinaryImportAsync("copy sources (id, title, text, sha256, created_at) from stdin (format binary)", ct))
        {
            foreach (var s in sources)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(s.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(s.Title, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(s.Text, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(s.Sha256, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(s.Claims[0].CreatedAt, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }

        var claims = sources.SelectMany(s => s.Claims.Select(c => (Source: s.Id, Claim: c))).ToList();
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy claims (id, source_id, quote, position_start, position_end, section, routes, population, comparator, effect, outcome,
                         direction, claimed_strength, evidence_level, citation_count, open_flag_count, created_at, updated_at,
                         conditions, cannabinoids)
            from stdin (format binary)
            """, ct))
        {
            foreach (var (source, c) in claims)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(source, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(c.Quote, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Start, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(c.End, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(c.Section, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Routes, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Population, NpgsqlDbType.Text, ct);
                if (c.Comparator is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(c.Comparator, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Effect, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Outcome, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Direction, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.ClaimedStrength, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.EvidenceLevel, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Citations.Count, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(c.Flags.Count(f => !f.Resolved), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                // the array copies the link-table triggers would keep (they do not fire in replica mode)
                await copy.WriteAsync(c.Conditions.Order(StringComparer.Ordinal).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Cannabinoids.Order(StringComparer.Ordinal).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }

        await CopyPairsAsync(connection, "copy claim_conditions (claim_id, condition_slug) from stdin (format binary)",
            claims.SelectMany(x => x.Claim.Conditions.Select(slug => (x.Claim.Id, slug))), ct);
        await CopyPairsAsync(connection, "copy claim_cannabinoids (claim_id, cannabinoid_slug) from stdin (format binary)",
            claims.SelectMany(x => x.Claim.Cannabinoids.Select(slug => (x.Claim.Id, slug))), ct);

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy citations (id, claim_id, kind, identifier, title, year, stance, added_by, added_at) from stdin (format binary)", ct))
        {
            foreach (var (_, c) in claims)
                foreach (var citation in c.Citations)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(citation.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(citation.Kind, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(citation.Identifier, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(citation.Title, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(citation.Year, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(citation.Stance, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(editorId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                }
            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy flags (id, claim_id, reason, raised_by, raised_at, resolution, resolved_by, resolved_at) from stdin (format binary)", ct))
        {
            foreach (var (_, c) in claims)
                foreach (var flag in c.Flags)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(flag.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(flag.Reason, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(editorId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                    if (flag.Resolved)
                    {
                        await copy.WriteAsync("dismissed", NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(editorId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                    }
                    else
                    {
                        await copy.WriteNullAsync(ct);
                        await copy.WriteNullAsync(ct);
                        await copy.WriteNullAsync(ct);
                    }
                }
            await copy.CompleteAsync(ct);
        }
    }

    private static async Task CopyPairsAsync(NpgsqlConnection connection, string command, IEnumerable<(Guid ClaimId, string Slug)> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(command, ct);
        foreach (var (claimId, slug) in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(claimId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(slug, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }
}
