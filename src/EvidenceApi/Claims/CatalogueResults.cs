using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>
/// Results that are costly to compute and depend only on the claims (relevance rankings, filtered facet counts),
/// kept in memory under the catalogue change count (db/migrations/0005) read before computing them. A request reads
/// the count first: the same count means no change to the claims has committed since, so the kept result is exact;
/// any other count computes it again. This is how search engines keep their result caches (Solr drops them on every
/// commit). Bounded by `ResultCache:Size`, the number of rows kept over all entries; 0 turns it off.
/// </summary>
public sealed class CatalogueResults(IConfiguration configuration)
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = configuration.GetValue("ResultCache:Size", 200_000L) });

    /// <summary>How many of a search's best matches a ranking keeps (`ResultCache:RankingDepth`).</summary>
    public int RankingDepth { get; } = configuration.GetValue("ResultCache:RankingDepth", 1000);

    /// <summary>The change count on the server <paramref name="connection"/> reads from: results are kept per server, so
    /// a standby that has replayed less never gets a result computed on the primary, or the other way round.</summary>
    public static async Task<CatalogueState> ChangesAsync(NpgsqlConnection connection, CancellationToken ct) =>
        new($"{connection.Host}:{connection.Port}/{connection.Database}", await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("select coalesce(sum(changes), 0)::bigint from catalogue_changes", cancellationToken: ct)));

    /// <summary>A key naming every filter value, so that two requests share an entry only when they ask the same.</summary>
    public static string Key(string kind, ClaimFilter filter, params string[] extra) =>
        $"{kind}|{string.Join(',', extra)}|{JsonSerializer.Serialize(filter)}";

    /// <param name="key">From <see cref="Key"/>.</param>
    /// <param name="changes">The change count read before computing, in this request.</param>
    /// <param name="compute">Computes the result and says how many rows it holds.</param>
    public async Task<T> GetOrComputeAsync<T>(string key, CatalogueState changes, Func<Task<(T Value, int Rows)>> compute) where T : class
    {
        key = $"{changes.Server}|{key}";
        if (cache.TryGetValue(key, out Entry? kept) && kept!.Changes == changes.Changes) return (T)kept.Value;
        var (value, rows) = await compute();
        cache.Set(key, new Entry(changes.Changes, value), new MemoryCacheEntryOptions { Size = Math.Max(1, rows) });
        return value;
    }

    private sealed record Entry(long Changes, object Value);
}

/// <summary>The catalogue change count of one server.</summary>
public readonly record struct CatalogueState(string Server, long Changes);
