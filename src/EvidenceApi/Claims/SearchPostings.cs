using System.Buffers;
using System.Numerics;
using NpgsqlTypes;

namespace EvidenceApi.Claims;

/// <summary>
/// An inverted index of the claims' <c>search</c> tsvectors: for each lexeme, the claims that contain it (claim numbers of
/// <see cref="ClaimIndex"/>) and, for each, a key naming the lexeme's positions and weights in that claim (keys are local
/// to the lexeme; most lexemes have a few dozen). A search's matches are found by bitmap operations (words, <c>or</c>,
/// <c>-</c>exclusions, as websearch_to_tsquery parses them) and ranked with <see cref="TsRank"/>, the same float
/// ts_rank gives: a claim's rank depends only on its words' keys, so it is computed once per combination of keys and
/// looked up for every other claim, keeping only the best. A search costs a pass over its words' entries instead of
/// reading and ranking every matching row in PostgreSQL. Phrases, prefixes and weight restrictions are not answered
/// here (the caller uses SQL). A lexeme in fewer than 1 claim in <see cref="DenseShare"/> keeps a list of delta-coded
/// varints, decoded once per search. A common one (with at most 255 keys) keeps a column instead — one byte per claim,
/// 0 when absent, else 1 + its key — and a bitmap: read in one step per claim, about as small as its list would be.
/// </summary>
public sealed partial class SearchPostings
{
    private const int DenseShare = 8;
    private readonly Dictionary<string, Postings> _lists;
    private readonly Dictionary<string, Column> _columns;
    private readonly ushort[][] _positionLists;
    private readonly ulong[] _emptyDocuments;
    private readonly int _count;
    private readonly ushort[]?[] _singlePositions = new ushort[]?[1 << 16];

    private SearchPostings(Dictionary<string, Postings> lists, Dictionary<string, Column> columns, ushort[][] positionLists,
        ulong[] emptyDocuments, int count)
    {
        _lists = lists;
        _columns = columns;
        _positionLists = positionLists;
        _emptyDocuments = emptyDocuments;
        _count = count;
    }

    /// <summary>True when <paramref name="query"/> has only plain lexemes under AND, OR and NOT.</summary>
    public static bool CanAnswer(NpgsqlTsQuery query) => query switch
    {
        NpgsqlTsQueryEmpty => true,
        NpgsqlTsQueryLexeme l => !l.IsPrefixSearch && l.Weights == NpgsqlTsQueryLexeme.Weight.None,
        NpgsqlTsQueryAnd a => CanAnswer(a.Left) && CanAnswer(a.Right),
        NpgsqlTsQueryOr o => CanAnswer(o.Left) && CanAnswer(o.Right),
        NpgsqlTsQueryNot n => CanAnswer(n.Child),
        _ => false,
    };

    /// <summary>Words of a bitmap over the claims.</summary>
    public int Words => ClaimIndex.Words(_count);

    /// <summary>A bitmap over the claims from the shared pool (longer than <see cref="Words"/> at times; the rest is unused).</summary>
    public ulong[] Rent() => ArrayPool<ulong>.Shared.Rent(Words);

    public static void Return(ulong[] bitmap) => ArrayPool<ulong>.Shared.Return(bitmap);

    /// <summary>Sets in <paramref name="into"/> (cleared first) the bit of every claim that matches <paramref name="query"/>.</summary>
    public void Match(NpgsqlTsQuery query, ulong[] into)
    {
        var words = Words;
        Array.Clear(into, 0, words);
        switch (query)
        {
            case NpgsqlTsQueryEmpty:
                return;
            case NpgsqlTsQueryLexeme lexeme:
                if (_columns.TryGetValue(lexeme.Text, out var column)) Array.Copy(column.Present, into, words);
                else if (_lists.TryGetValue(lexeme.Text, out var list))
                    for (var cursor = list.Start(); cursor.Next();) into[cursor.Claim >> 6] |= 1UL << (cursor.Claim & 63);
                return;
            case NpgsqlTsQueryNot not:
                Match(not.Child, into);
                for (var i = 0; i < words; i++) into[i] = ~into[i];
                ClaimIndex.ClearPastLast(into, _count);
                return;
            case NpgsqlTsQueryBinOp binary:
                Match(binary.Left, into);
                var right = Rent();
                try
                {
                    Match(binary.Right, right);
                    if (binary is NpgsqlTsQueryAnd) for (var i = 0; i < words; i++) into[i] &= right[i];
                    else for (var i = 0; i < words; i++) into[i] |= right[i];
                }
                finally
                {
                    Return(right);
                }
                return;
            default:
                throw new ArgumentException($"A {query.Kind} is not answered by the search index.", nameof(query));
        }
    }

    /// <summary>
    /// The <paramref name="keep"/> best of the claims in <paramref name="matches"/> by ts_rank against
    /// <paramref name="query"/> descending, then id descending (the list query's order), best first.
    /// </summary>
    public List<RelevanceRanking.Match> Best(NpgsqlTsQuery query, ulong[] matches, Guid[] ids, int keep)
    {
        var lexemes = TsRank.SortAndUnique(Lexemes(query));
        var words = lexemes.Select(l => new QueryWord(this, l)).ToArray();
        var and = query is NpgsqlTsQueryAnd or NpgsqlTsQueryFollowedBy;
        var items = new ushort[]?[words.Length];
        // a claim's cell: its words' keys (0 absent, else 1 + key) as one number; each cell's rank is computed once
        long cells = 1;
        foreach (var word in words) cells = cells > int.MaxValue ? cells : cells * (word.Keys + 1);
        var table = cells <= 1 << 16 ? new float[cells] : null;
        if (table is not null) Array.Fill(table, float.NaN);
        var known = table is null ? new Dictionary<long, float>() : null;
        var best = new TopMatches(keep, ids);
        try
        {
            for (var w = 0; w < Words; w++)
            {
                for (var bits = matches[w]; bits != 0; bits &= bits - 1)
                {
                    var claim = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    long cell = 0;
                    foreach (var word in words) cell = cell * (word.Keys + 1) + word.CellAt(claim);
                    float rank;
                    if ((_emptyDocuments[claim >> 6] & (1UL << (claim & 63))) != 0) rank = 0f; // ts_rank of an empty tsvector
                    else if (table is not null)
                    {
                        rank = table[cell];
                        if (float.IsNaN(rank)) table[cell] = rank = RankOf(claim);
                    }
                    else if (cells > int.MaxValue) rank = RankOf(claim);
                    else if (!known!.TryGetValue(cell, out rank)) known[cell] = rank = RankOf(claim);
                    best.Offer(rank, claim);
                }
            }
        }
        finally
        {
            foreach (var word in words) word.Dispose();
        }
        return best.InOrder();

        float RankOf(int claim)
        {
            for (var i = 0; i < words.Length; i++)
            {
                var cell = words[i].CellAt(claim);
                items[i] = cell == 0 ? null : Positions(words[i].Code(cell - 1));
            }
            return TsRank.Rank(items, and, false);
        }
    }

    /// <summary>Every lexeme of the query, those under NOT too, as ts_rank collects them.</summary>
    public static IEnumerable<string> Lexemes(NpgsqlTsQuery query) => query switch
    {
        NpgsqlTsQueryLexeme l => [l.Text],
        NpgsqlTsQueryNot n => Lexemes(n.Child),
        NpgsqlTsQueryBinOp b => Lexemes(b.Left).Concat(Lexemes(b.Right)),
        _ => [],
    };

    // a code is one position inline (position << 2 | weight, shifted left once) or an index into the shared lists (odd)
    private ushort[] Positions(int code) =>
        (code & 1) == 1 ? _positionLists[code >> 1]
        : code == 0 ? TsRank.NoPositions
        : _singlePositions[code >> 1] ??= [TsRank.Position(code >> 3, (code >> 1) & 3)];

    /// <summary>
    /// One word of a search, read claim by claim in ascending order: from its column, or from its list decoded once
    /// into pooled arrays (a merge then costs a comparison or two per claim).
    /// </summary>
    private sealed class QueryWord : IDisposable
    {
        private readonly byte[]? _column;
        private readonly int[] _codes = [];
        private readonly int[]? _claims;
        private readonly int[]? _cells;
        private readonly int _length;
        private int _at;

        public QueryWord(SearchPostings index, string lexeme)
        {
            if (index._columns.TryGetValue(lexeme, out var column)) (_column, _codes) = (column.Cells, column.Codes);
            else if (index._lists.TryGetValue(lexeme, out var list))
            {
                _codes = list.Codes;
                _claims = ArrayPool<int>.Shared.Rent(list.Count);
                _cells = ArrayPool<int>.Shared.Rent(list.Count);
                for (var cursor = list.Start(); cursor.Next(); _length++)
                {
                    _claims[_length] = cursor.Claim;
                    _cells[_length] = cursor.Key + 1;
                }
            }
        }

        /// <summary>How many keys the word has.</summary>
        public int Keys => _codes.Length;

        public int Code(int key) => _codes[key];

        /// <summary>0 when the word is not in <paramref name="claim"/>, else 1 + its key there.</summary>
        public int CellAt(int claim)
        {
            if (_column is not null) return _column[claim];
            if (_claims is null) return 0;
            while (_at < _length && _claims[_at] < claim) _at++;
            return _at < _length && _claims[_at] == claim ? _cells![_at] : 0;
        }

        public void Dispose()
        {
            if (_claims is not null) ArrayPool<int>.Shared.Return(_claims);
            if (_cells is not null) ArrayPool<int>.Shared.Return(_cells);
        }
    }

    /// <summary>The best matches seen, in a binary heap with the worst on top: higher rank is better, then the greater
    /// id — the smaller claim number, as claims are numbered in descending id order (ids are read only at the end: at a
    /// million claims they are 16 MB, each read a cache miss).</summary>
    private sealed class TopMatches(int keep, Guid[] ids)
    {
        private readonly (float Rank, int Claim)[] _heap = new (float, int)[Math.Max(keep, 1)];
        private int _count;

        private static bool Better((float Rank, int Claim) match, (float Rank, int Claim) than) =>
            match.Rank > than.Rank || (match.Rank == than.Rank && match.Claim < than.Claim);

        public void Offer(float rank, int claim)
        {
            var match = (rank, claim);
            if (_count < keep)
            {
                var i = _count++;
                while (i > 0 && Better(_heap[(i - 1) / 2], match))
                {
                    _heap[i] = _heap[(i - 1) / 2];
                    i = (i - 1) / 2;
                }
                _heap[i] = match;
                return;
            }
            if (!Better(match, _heap[0])) return;
            var at = 0;
            while (true)
            {
                var child = 2 * at + 1;
                if (child >= _count) break;
                if (child + 1 < _count && Better(_heap[child], _heap[child + 1])) child++;
                if (!Better(match, _heap[child])) break;
                _heap[at] = _heap[child];
                at = child;
            }
            _heap[at] = match;
        }

        public List<RelevanceRanking.Match> InOrder() =>
            _heap.Take(_count).OrderByDescending(m => m.Rank).ThenBy(m => m.Claim).Select(m => new RelevanceRanking.Match(m.Rank, ids[m.Claim])).ToList();
    }

    /// <summary>A common lexeme: for each claim, 0 (absent) or 1 + its key; the keys' codes; and a bitmap.</summary>
    private sealed class Column(byte[] cells, int[] codes, ulong[] present)
    {
        public byte[] Cells => cells;

        public int[] Codes => codes;

        public ulong[] Present => present;
    }

    /// <summary>One lexeme's claims: delta-coded (claim, key) pairs; <see cref="Codes"/> names each key's positions.</summary>
    private sealed class Postings(byte[] data, int count, int[] codes)
    {
        public int Count => count;

        public int[] Codes => codes;

        public Cursor Start() => new(data);
    }

    /// <summary>Reads one lexeme's claims in ascending order.</summary>
    private sealed class Cursor(byte[] data)
    {
        private int _offset;

        public int Claim { get; private set; } = -1;

        public int Key { get; private set; }

        public bool Next()
        {
            if (_offset >= data.Length) return false;
            Claim += ReadVarint() + 1;
            Key = ReadVarint();
            return true;
        }

        private int ReadVarint()
        {
            var value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[_offset++];
                value |= (b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
