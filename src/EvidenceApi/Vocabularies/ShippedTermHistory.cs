using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>
/// Terms the migrations ship have no revision of their own: each gets a `created` revision (by no editor), so its history
/// and the change feed start where the term did and a mirror following the feed receives every term. Runs at start-up;
/// a term that has a revision is left alone, so a second run, or a racing instance, adds nothing.
/// </summary>
public sealed class ShippedTermHistory([FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource) : IDatabaseSeed
{
    public async Task SeedAsync(string seedFolder, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // one writer at a time: two instances starting together would otherwise both write version 1
        await connection.ExecuteAsync(new CommandDefinition("lock table term_revisions in share row exclusive mode", transaction: transaction, cancellationToken: ct));
        foreach (var vocabulary in Vocabulary.All)
        {
            var slugs = await connection.QueryAsync<string>(new CommandDefinition($"""
                select t.slug from {vocabulary.Name} t
                where not exists (select from term_revisions r where r.vocabulary = @name and r.slug = t.slug)
                order by t.slug collate "C"
                """, new { name = vocabulary.Name }, transaction, cancellationToken: ct));
            foreach (var slug in slugs) await TermStore.RecordRevisionAsync(connection, transaction, vocabulary, slug, "created", null, ct);
        }
        await transaction.CommitAsync(ct);
    }
}
