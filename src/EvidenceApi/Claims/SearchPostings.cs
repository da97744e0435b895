using System.Buffers;
using System.Numerics;
using NpgsqlTypes;

namespace EvidenceApi.Claims;

/// <summary>
/// An inverted index of the claims' <c>search</c> tsvectors: for each lexeme, the claims that contain it (ascending claim
/// numbers of <see cref="ClaimIndex"/>) with the lexeme's positions and weights in each. A search's matches are found by
/// bitmap operations over these lists (words, <c>or</c>, <c>-</c>exclusions, as websearch_to_tsquery parses them) and
/// ranked with <see cref="TsRank"/>, the same float ts_rank gives, keeping only the best: a two-word search costs a
/// pass over its two lists instead of reading and ranking every matching row in PostgreSQL. Phrases, prefixes and weight
/// restrictions are not answered here (the caller uses SQL). Each list is delta-coded varints in blocks of
/// <see cref="BlockSize"/> entries, so a rare word's claims can skip through a common word's list.
/// </summary>
public sealed class SearchPostings
{
    private const int BlockSize = 128;
    private readonly Dictionary<string, Postings> _byLexeme;
    private readonly ushort[][] _lists;
    private readonly ulong[] _emptyDocuments;
    private readonly int _count;
    private readonly ushort[]?[] _singlePositions = new ushort[]?[1 << 16];

    private SearchPostings(Dictionary<string, Postings> byLexeme, ushort[][] lists, ulong[] emptyDocuments, int count)
    {
        _byLexeme = byLexeme;
        _lists = lists;
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
    public int Words => (_count + 63) >> 6;

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
                if (_byLexeme.TryGetValue(lexeme.Text, out var postings))
                    for (var cursor = postings.Start(); cursor.Next();) into[cursor.Claim >> 6] |= 1UL << (cursor.Claim & 63);
                return;
            case NpgsqlTsQueryNot not:
                Match(not.Child, into);
                for (var i = 0; i < words; i++) into[i] = ~into[i];
                if (_count % 64 != 0) into[words - 1] &= (1UL << (_count % 64)) - 1;
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
        var cursors = lexemes.Select(l => _byLexeme.TryGetValue(l, out var p) ? p.Start() : (Cursor?)null).ToArray();
        var and = query is NpgsqlTsQueryAnd or NpgsqlTsQueryFollowedBy;
        var items = new ushort[]?[lexemes.Length];
        var codes = new int[lexemes.Length];
        // most claims repeat a few position patterns: the rank of a pattern of two words is computed once
        var known = lexemes.Length <= 2 ? new Dictionary<long, float>() : null;
        var best = new PriorityQueue<RelevanceRanking.Match, RelevanceRanking.Match>(keep + 1, WorstFirst.Instance);

        float RankOf(bool empty)
        {
            for (var i = 0; i < codes.Length; i++) items[i] = codes[i] < 0 ? null : Positions(codes[i]);
            return TsRank.Rank(items, and, empty);
        }

        for (var word = 0; word < Words; word++)
        {
            for (var bits = matches[word]; bits != 0; bits &= bits - 1)
            {
                var claim = (word << 6) + BitOperations.TrailingZeroCount(bits);
                long pattern = 0;
                for (var i = 0; i < cursors.Length; i++)
                {
                    codes[i] = cursors[i] is { } cursor && cursor.SkipTo(claim) ? cursor.Code : -1;
                    pattern = (pattern << 32) | (uint)codes[i];
                }
                var empty = (_emptyDocuments[claim >> 6] & (1UL << (claim & 63))) != 0;
                float rank;
                if (known is null || empty) rank = RankOf(empty);
                else if (!known.TryGetValue(pattern, out rank)) known[pattern] = rank = RankOf(false);

                var match = new RelevanceRanking.Match(rank, ids[claim]);
                if (best.Count < keep) best.Enqueue(match, match);
                else if (WorstFirst.Instance.Compare(match, best.Peek()) > 0) best.EnqueueDequeue(match, match);
            }
        }
        var result = new List<RelevanceRanking.Match>(best.Count);
        while (best.Count > 0) result.Add(best.Dequeue());
        result.Reverse();
        return result;
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
        (code & 1) == 1 ? _lists[code >> 1]
        : code == 0 ? TsRank.NoPositions
        : _singlePositions[code >> 1] ??= [TsRank.Position(code >> 3, (code >> 1) & 3)];

    // best matches compare greater: higher rank, then the greater id (PostgreSQL's uuid order is Guid.CompareTo's)
    private sealed class WorstFirst : IComparer<RelevanceRanking.Match>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(RelevanceRanking.Match x, RelevanceRanking.Match y)
        {
            var byRank = x.Rank.CompareTo(y.Rank);
            return byRank != 0 ? byRank : x.Id.CompareTo(y.Id);
        }
    }

    /// <summary>One lexeme's claims: delta-coded (claim, positions code) pairs in blocks.</summary>
    private sealed class Postings(byte[] data, int[] blockOffsets, int[] blockLastClaims)
    {
        public Cursor Start() => new(data, blockOffsets, blockLastClaims);
    }

    /// <summary>Reads one lexeme's claims in ascending order.</summary>
    private sealed class Cursor(byte[] data, int[] blockOffsets, int[] blockLastClaims)
    {
        private int _offset;
        private int _block = -1;
        private int _inBlock = BlockSize;

        public int Claim { get; private set; } = -1;
        public int Code { get; private set; }

        public bool Next()
        {
            if (_inBlock == BlockSize)
            {
                if (_block + 1 >= blockOffsets.Length) return false;
                _block++;
                _inBlock = 0;
                _offset = blockOffsets[_block];
                Claim = _block == 0 ? -1 : blockLastClaims[_block - 1];
            }
            if (_offset >= data.Length) return false;
            Claim += ReadVarint() + 1;
            Code = ReadVarint();
            _inBlock++;
            return true;
        }

        /// <summary>Moves to <paramref name="claim"/> or past it; true when the lexeme is in that claim.</summary>
        public bool SkipTo(int claim)
        {
            if (Claim >= claim) return Claim == claim;
            if (_block < 0 || claim > blockLastClaims[_block])
            {
                var block = Array.BinarySearch(blockLastClaims, Math.Max(_block, 0), blockLastClaims.Length - Math.Max(_block, 0), claim);
                if (block < 0) block = ~block;
                if (block >= blockLastClaims.Length)
                {
                    Claim = int.MaxValue;
                    return false;
                }
                _block = block - 1;
                _inBlock = BlockSize;
            }
            while (Claim < claim)
                if (!Next())
                {
                    Claim = int.MaxValue;
                    return false;
                }
            return Claim == claim;
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

    /// <summary>Collects the claims' tsvectors in claim order.</summary>
    public sealed class Builder(int expected)
    {
        private readonly Dictionary<string, Writer> _writers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _listIndex = new(StringComparer.Ordinal);
        private readonly List<ushort[]> _lists = [];
        private readonly ulong[] _empty = new ulong[(expected + 63) >> 6];
        private int _count;

        public void Add(int claim, NpgsqlTsVector vector)
        {
            _count = claim + 1;
            if (vector.Count == 0) _empty[claim >> 6] |= 1UL << (claim & 63);
            foreach (var lexeme in vector)
            {
                if (!_writers.TryGetValue(lexeme.Text, out var writer)) _writers[lexeme.Text] = writer = new Writer();
                writer.Add(claim, CodeOf(lexeme));
            }
        }

        private int CodeOf(NpgsqlTsVector.Lexeme lexeme)
        {
            if (lexeme.Count == 0) return 0;
            if (lexeme.Count == 1) return ((Math.Min(lexeme[0].Pos, (1 << 14) - 1) << 2) | (int)lexeme[0].Weight) << 1;
            var positions = new ushort[lexeme.Count];
            for (var i = 0; i < positions.Length; i++) positions[i] = TsRank.Position(lexeme[i].Pos, (int)lexeme[i].Weight);
            var key = new string(positions.Select(p => (char)p).ToArray());
            if (!_listIndex.TryGetValue(key, out var index))
            {
                _listIndex[key] = index = _lists.Count;
                _lists.Add(positions);
            }
            return (index << 1) | 1;
        }

        public SearchPostings Build() =>
            new(_writers.ToDictionary(w => w.Key, w => w.Value.Build(), StringComparer.Ordinal), [.. _lists], _empty, _count);
    }

    private sealed class Writer
    {
        private byte[] _data = new byte[16];
        private int _length;
        private readonly List<int> _blockOffsets = [];
        private readonly List<int> _blockLastClaims = [];
        private int _last = -1;
        private int _inBlock = BlockSize;

        public void Add(int claim, int code)
        {
            if (_inBlock == BlockSize)
            {
                if (_blockOffsets.Count > 0) _blockLastClaims.Add(_last);
                _blockOffsets.Add(_length);
                _inBlock = 0;
            }
            Write(claim - _last - 1);
            Write(code);
            _last = claim;
            _inBlock++;
        }

        private void Write(int value)
        {
            if (_length + 5 > _data.Length) Array.Resize(ref _data, _data.Length * 2);
            while (value >= 0x80)
            {
                _data[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }
            _data[_length++] = (byte)value;
        }

        public Postings Build()
        {
            _blockLastClaims.Add(_last);
            return new Postings(_data.AsSpan(0, _length).ToArray(), [.. _blockOffsets], [.. _blockLastClaims]);
        }
    }
}
