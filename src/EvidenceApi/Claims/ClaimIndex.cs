using System.Data;
using System.Numerics;
using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace EvidenceApi.Claims;

/// <summary>
/// An in-memory read model of the claims for the questions never asked before: every claim's filterable fields as
/// bitmaps, one per field value (bit i: claim i has it), so that facet counts for a new filter set cost a few bitmap
/// ANDs and popcounts instead of a pass over the matching rows; and the claims' search vectors as an inverted index
/// (<see cref="SearchPostings"/>), so that a new search ranks only its words' lists. Built from one snapshot of the
/// claims together with the catalogue change count of that snapshot (db/migrations/0005), and used only by a request
/// that reads the same count on the same server — the same count means no statement that changed claims has committed
/// since, so its answers are exact. Any other count answers through SQL (as without the index) and starts a rebuild in
/// the background (one at a time, at most every `ClaimIndex:RebuildSeconds`). `id` filters always use SQL. At 1,000,000
/// claims: about 100 bitmaps of N/8 bytes (12.5 MB), the ids (16 MB) and the postings (~40 MB).
/// `ClaimIndex:Enabled=false` turns it off.
/// </summary>
public sealed class ClaimIndex(
    [FromKeyedServices(Database.Maintenance)] NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<ClaimIndex> logger)
{
    private readonly bool _enabled = configuration.GetValue("ClaimIndex:Enabled", true);
    private readonly TimeSpan _rebuildEvery = TimeSpan.FromSeconds(configuration.GetValue("ClaimIndex:RebuildSeconds", 5.0));
    private Snapshot? _current;
    private int _building;
    private DateTime _lastBuild = DateTime.MinValue;

    /// <summary>The index if it was built at <paramref name="state"/>; else null, and a rebuild is started if none runs and
    /// the state is the index's server's.</summary>
    public Snapshot? At(CatalogueState state)
    {
        if (!_enabled) return null;
        var current = _current;
        if (current is not null && current.State == state) return current;
        // the index reads the primary: a standby's count never matches it, and must not keep rebuilding it
        if (current is null || current.State.Server == state.Server) StartBuild();
        return null;
    }

    /// <summary>Builds the index in the background unless a build runs or one started less than `ClaimIndex:RebuildSeconds`
    /// ago. Also called once at start-up, so the first filtered facets after a start do not wait for it.</summary>
    public void StartBuild()
    {
        if (!_enabled) return;
        if (DateTime.UtcNow - _lastBuild >= _rebuildEvery && Interlocked.CompareExchange(ref _building, 1, 0) == 0)
        {
            _lastBuild = DateTime.UtcNow;
            _ = Task.Run(async () =>
            {
                try
                {
                    _current = await BuildAsync(dataSource, CancellationToken.None);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    logger.LogWarning(e, "The claim index could not be built; facets and searches use SQL meanwhile.");
                }
                finally
                {
                    Volatile.Write(ref _building, 0);
                }
            });
        }
    }

    public static readonly string[] MultiValued = ["condition", "cannabinoid", "route"];

    /// <summary>How many 64-bit words a bitmap over <paramref name="count"/> claims has.</summary>
    public static int Words(int count) => (count + 63) >> 6;

    /// <summary>Clears the bits past the last claim in the last word (after a fill or a complement).</summary>
    public static void ClearPastLast(ulong[] bitmap, int count)
    {
        if (count % 64 != 0) bitmap[Words(count) - 1] &= (1UL << (count % 64)) - 1;
    }

    // claims without a comparator: counted under `none` as SQL counts them (coalesce), but never matched by a
    // `comparator` filter, which in SQL (`comparator = any(...)`) matches no null — even when a term is named `none`
    private const string NoComparator = "\0none";

    /// <summary>Reads every claim in one snapshot, with the change count of that snapshot. Claims are numbered in descending
    /// id order, the order that breaks ties between equal ranks (<see cref="SearchPostings"/>).</summary>
    public static async Task<Snapshot> BuildAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var state = await CatalogueResults.ChangesAsync(connection, ct);
        // the count first, in the same snapshot: every bitmap is allocated once at its final size
        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from claims", transaction: transaction, cancellationToken: ct));
        var builder = new Builder(state, count);
        await using (var command = new NpgsqlCommand("""
            select conditions, cannabinoids, routes, population, comparator, outcome, direction, claimed_strength,
                   evidence_level, status, source_id::text, coalesce(overclaim::text, 'null'), retired_at is not null, id, search
            from claims
            order by id desc
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var claim = builder.Add();
                builder.Set(claim, "condition", reader.GetFieldValue<string[]>(0));
                builder.Set(claim, "cannabinoid", reader.GetFieldValue<string[]>(1));
                builder.Set(claim, "route", reader.GetFieldValue<string[]>(2));
                builder.Set(claim, "population", reader.GetString(3));
                builder.Set(claim, "comparator", reader.IsDBNull(4) ? NoComparator : reader.GetString(4));
                builder.Set(claim, "outcome", reader.GetString(5));
                builder.Set(claim, "direction", reader.GetString(6));
                builder.Set(claim, "claimedStrength", reader.GetString(7));
                builder.Set(claim, "evidenceLevel", reader.GetString(8));
                builder.Set(claim, "status", reader.GetString(9));
                builder.SetSource(claim, reader.GetString(10));
                builder.Set(claim, "overclaim", reader.GetString(11));
                if (reader.GetBoolean(12)) builder.Set(claim, "retired", "true");
                builder.SetSearch(claim, reader.GetGuid(13), reader.GetFieldValue<NpgsqlTsVector>(14));
            }
        }
        await transaction.CommitAsync(ct);
        return builder.Build();
    }

    private sealed class Builder(CatalogueState state, int expected)
    {
        private readonly int _length = Words(expected);
        private readonly Dictionary<string, Dictionary<string, ulong[]>> _bits = new();
        private readonly Dictionary<string, int> _sourceOrdinals = new();
        private readonly List<int> _sources = [];
        private readonly Guid[] _ids = new Guid[expected];
        private readonly SearchPostings.Builder _search = new(expected);
        private int _count;

        // the snapshot holds exactly the claims it counted
        public int Add() => _count < expected ? _count++ : throw new InvalidOperationException("More claims than the snapshot counted.");

        public void Set(int claim, string field, params string[] values)
        {
            if (!_bits.TryGetValue(field, out var byValue)) _bits[field] = byValue = new Dictionary<string, ulong[]>();
            foreach (var value in values)
            {
                if (!byValue.TryGetValue(value, out var words)) byValue[value] = words = new ulong[_length];
                words[claim >> 6] |= 1UL << (claim & 63);
            }
        }

        public void SetSource(int claim, string source)
        {
            if (!_sourceOrdinals.TryGetValue(source, out var ordinal)) _sourceOrdinals[source] = ordinal = _sourceOrdinals.Count;
            _sources.Add(ordinal);
        }

        public void SetSearch(int claim, Guid id, NpgsqlTsVector search)
        {
            _ids[claim] = id;
            _search.Add(claim, search);
        }

        public Snapshot Build() => new(state, _count, _bits, [.. _sources], _sourceOrdinals.OrderBy(s => s.Value).Select(s => s.Key).ToArray(),
            _ids, _search.Build());
    }

    /// <summary>One build of the index.</summary>
    public sealed class Snapshot(CatalogueState state, int count, Dictionary<string, Dictionary<string, ulong[]>> bits, int[] sources,
        string[] sourceIds, Guid[] ids, SearchPostings search)
    {
        public CatalogueState State { get; } = state;
        private readonly int _length = Words(count);

        /// <summary>True when the index can count facets for <paramref name="filter"/> (no search, no ids).</summary>
        public static bool CanAnswer(ClaimFilter filter) => filter.Query is null && filter.Ids is null;

        public ClaimFacetsResponse Count(ClaimFilter filter, string[] fields)
        {
            var match = new ulong[_length];
            Filter(match, filter);
            var facets = new Dictionary<string, IReadOnlyList<FacetCount>>();
            foreach (var field in fields)
            {
                var counts = field == "source" ? CountSources(match)
                    : (bits.TryGetValue(field, out var values) ? values : [])
                        .GroupBy(v => v.Key == NoComparator ? "none" : v.Key, v => PopCountAnd(match, v.Value))
                        .Select(g => new FacetCount(g.Key, g.Sum()));
                facets[field] = counts.Where(c => c.Count > 0).OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).ToList();
            }
            return new ClaimFacetsResponse(PopCountAnd(match, null), facets);
        }

        /// <summary>
        /// The <paramref name="keep"/> best matches of the filter's search in relevance order (ts_rank, then id, both
        /// descending), as the ranked SQL query gives them; null when the index cannot answer it (ids, phrases, prefixes).
        /// <paramref name="query"/> and <paramref name="rest"/> are websearch_to_tsquery of the filter's `Query` and
        /// `SearchRest`, parsed by PostgreSQL.
        /// </summary>
        public List<RelevanceRanking.Match>? Search(ClaimFilter filter, NpgsqlTsQuery query, NpgsqlTsQuery? rest, int keep)
        {
            if (filter.Ids is not null || !SearchPostings.CanAnswer(query) || (rest is not null && !SearchPostings.CanAnswer(rest))) return null;
            var match = search.Rent();
            var found = search.Rent();
            try
            {
                Filter(match, filter);
                search.Match(query, found);
                // the words, or the terms the search names together with the words left over (ClaimFilter.SearchTest)
                if (filter.SearchConditions is not null || filter.SearchCannabinoids is not null)
                {
                    var tagged = new ulong[_length];
                    All(tagged);
                    And(tagged, "condition", filter.SearchConditions);
                    And(tagged, "cannabinoid", filter.SearchCannabinoids);
                    if (rest is not null and not NpgsqlTsQueryEmpty)
                    {
                        var words = search.Rent();
                        search.Match(rest, words);
                        for (var i = 0; i < _length; i++) tagged[i] &= words[i];
                        SearchPostings.Return(words);
                    }
                    for (var i = 0; i < _length; i++) found[i] |= tagged[i];
                }
                for (var i = 0; i < _length; i++) match[i] &= found[i];
                return search.Best(query, match, ids, keep);
            }
            finally
            {
                SearchPostings.Return(match);
                SearchPostings.Return(found);
            }
        }

        // the claims that pass every filter but the search
        private void Filter(ulong[] match, ClaimFilter filter)
        {
            All(match);
            if (!filter.IncludeRetired) AndNot(match, Bits("retired", "true"));
            And(match, "condition", filter.Conditions);
            And(match, "cannabinoid", filter.Cannabinoids);
            And(match, "route", filter.Routes);
            And(match, "population", filter.Populations);
            And(match, "comparator", filter.Comparators);
            And(match, "outcome", filter.Outcomes);
            And(match, "direction", filter.Directions);
            And(match, "claimedStrength", filter.ClaimedStrengths);
            And(match, "evidenceLevel", filter.EvidenceLevels);
            And(match, "status", filter.Statuses);
            if (filter.Overclaim is { } overclaim) And(match, "overclaim", [overclaim ? "true" : "false"]);
            if (filter.Sources is not null) AndSources(match, filter.Sources.Select(s => s.ToString()).ToHashSet());
        }

        private void All(ulong[] match)
        {
            Array.Fill(match, ulong.MaxValue, 0, _length);
            ClearPastLast(match, count);
        }

        private ulong[]? Bits(string field, string value) =>
            bits.TryGetValue(field, out var values) && values.TryGetValue(value, out var words) ? words : null;

        // OR within a field, AND across fields: a value no claim has matches nothing
        private void And(ulong[] match, string field, string[]? values)
        {
            if (values is null) return;
            var any = new ulong[_length];
            foreach (var value in values)
                if (Bits(field, value) is { } words)
                    for (var i = 0; i < _length; i++) any[i] |= words[i];
            for (var i = 0; i < _length; i++) match[i] &= any[i];
        }

        private void AndNot(ulong[] match, ulong[]? words)
        {
            if (words is null) return;
            for (var i = 0; i < _length; i++) match[i] &= ~words[i];
        }

        private void AndSources(ulong[] match, HashSet<string> wanted)
        {
            var ordinals = sourceIds.Select((id, ordinal) => (id, ordinal)).Where(s => wanted.Contains(s.id)).Select(s => s.ordinal).ToHashSet();
            for (var claim = 0; claim < sources.Length; claim++)
                if (!ordinals.Contains(sources[claim])) match[claim >> 6] &= ~(1UL << (claim & 63));
        }

        private IEnumerable<FacetCount> CountSources(ulong[] match)
        {
            var counts = new int[sourceIds.Length];
            for (var word = 0; word < _length; word++)
                for (var bits = match[word]; bits != 0; bits &= bits - 1)
                    counts[sources[(word << 6) + BitOperations.TrailingZeroCount(bits)]]++;
            return counts.Select((n, ordinal) => new FacetCount(sourceIds[ordinal], n));
        }

        private int PopCountAnd(ulong[] match, ulong[]? words)
        {
            var total = 0;
            for (var i = 0; i < _length; i++) total += BitOperations.PopCount(words is null ? match[i] : match[i] & words[i]);
            return total;
        }
    }
}

/// <summary>Starts the first build of the claim index once the database is migrated (hosted services start in order).</summary>
public sealed class ClaimIndexWarmup(ClaimIndex index) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        index.StartBuild();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
