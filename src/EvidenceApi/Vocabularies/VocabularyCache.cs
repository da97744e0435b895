using Dapper;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>
/// The vocabularies' slugs and the condition hierarchy, held in memory so that filtering a list does not cost a
/// round trip. Vocabularies change only by migration: the cache reloads when a request names a term it does not
/// know, and at least every minute, so a new term is never refused and each instance stays stateless.
/// </summary>
public sealed class VocabularyCache(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private volatile Snapshot? _snapshot;

    public sealed record Snapshot(HashSet<string> Conditions, HashSet<string> Cannabinoids, HashSet<string> Outcomes,
        ILookup<string, string> NarrowerConditions, DateTime LoadedAt)
    {
        public IEnumerable<(string Field, string Value)> Unknown(string[]? conditions, string[]? cannabinoids, string[]? outcomes) =>
            (conditions ?? []).Where(c => !Conditions.Contains(c)).Select(c => ("condition", c))
            .Concat((cannabinoids ?? []).Where(c => !Cannabinoids.Contains(c)).Select(c => ("cannabinoid", c)))
            .Concat((outcomes ?? []).Where(o => !Outcomes.Contains(o)).Select(o => ("outcome", o)));

        /// <summary>A message per unknown term, keyed by its field (condition, cannabinoid, outcome); empty when all exist.</summary>
        public Dictionary<string, string[]> UnknownErrors(string[]? conditions, string[]? cannabinoids, string[]? outcomes) =>
            Unknown(conditions, cannabinoids, outcomes).GroupBy(u => u.Field).ToDictionary(g => g.Key,
                g => g.Select(u => $"'{u.Value}' is not a known {g.Key}; see GET /v1/{g.Key}s.").ToArray());

        /// <summary>The conditions and every condition beneath them.</summary>
        public string[] WithNarrower(IEnumerable<string> conditions)
        {
            var all = new HashSet<string>();
            var pending = new Stack<string>(conditions);
            while (pending.TryPop(out var condition))
                if (all.Add(condition))
                    foreach (var child in NarrowerConditions[condition]) pending.Push(child);
            return all.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The current snapshot; reloaded when stale, or when it lacks a term the caller names.</summary>
    public async Task<Snapshot> GetAsync(string[]? conditions, string[]? cannabinoids, string[]? outcomes, CancellationToken ct)
    {
        var snapshot = _snapshot;
        var age = snapshot is null ? TimeSpan.MaxValue : DateTime.UtcNow - snapshot.LoadedAt;
        // an unknown term reloads at most once a second, so a client sending nonsense cannot make every request a reload
        var missing = snapshot is not null && age > TimeSpan.FromSeconds(1) && snapshot.Unknown(conditions, cannabinoids, outcomes).Any();
        if (age > MaxAge || missing) _snapshot = snapshot = await LoadAsync(ct);
        return snapshot!;
    }

    private async Task<Snapshot> LoadAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var conditions = (await connection.QueryAsync<(string Slug, string? Parent)>(
            new CommandDefinition("select slug, parent_slug from conditions", cancellationToken: ct))).ToList();
        var cannabinoids = await connection.QueryAsync<string>(new CommandDefinition("select slug from cannabinoids", cancellationToken: ct));
        var outcomes = await connection.QueryAsync<string>(new CommandDefinition("select slug from outcomes", cancellationToken: ct));
        return new Snapshot(conditions.Select(c => c.Slug).ToHashSet(), cannabinoids.ToHashSet(), outcomes.ToHashSet(),
            conditions.Where(c => c.Parent is not null).ToLookup(c => c.Parent!, c => c.Slug), DateTime.UtcNow);
    }
}
