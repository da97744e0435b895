using NpgsqlTypes;

namespace EvidenceApi.Claims;

/// <summary>How <see cref="SearchPostings"/> is built: every claim's tsvector, in claim order.</summary>
public sealed partial class SearchPostings
{
    /// <summary>Collects the claims' tsvectors in claim order.</summary>
    public sealed class Builder(int expected)
    {
        private readonly Dictionary<string, Writer> _writers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _listIndex = new(StringComparer.Ordinal);
        private readonly List<ushort[]> _lists = [];
        private readonly ulong[] _empty = new ulong[ClaimIndex.Words(expected)];
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

        public SearchPostings Build()
        {
            var lists = new Dictionary<string, Postings>(StringComparer.Ordinal);
            var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
            foreach (var (lexeme, writer) in _writers)
            {
                if ((long)writer.Count * DenseShare >= _count && writer.Keys <= byte.MaxValue) columns[lexeme] = writer.Column(_count);
                else lists[lexeme] = writer.Postings();
            }
            return new(lists, columns, [.. _lists], _empty, _count);
        }
    }

    private sealed class Writer
    {
        private byte[] _data = new byte[16];
        private int _length;
        private int _last = -1;
        private readonly Dictionary<int, int> _keys = new();

        public int Count { get; private set; }

        /// <summary>How many different position lists the lexeme has.</summary>
        public int Keys => _keys.Count;

        // each key's positions code, in key order
        private int[] Codes => _keys.OrderBy(k => k.Value).Select(k => k.Key).ToArray();

        public void Add(int claim, int code)
        {
            if (!_keys.TryGetValue(code, out var key)) _keys[code] = key = _keys.Count;
            Write(claim - _last - 1);
            Write(key);
            _last = claim;
            Count++;
        }

        private void Write(int value)
        {
            if (_length + 10 > _data.Length) Array.Resize(ref _data, _data.Length * 2);
            while (value >= 0x80)
            {
                _data[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }
            _data[_length++] = (byte)value;
        }

        public Postings Postings() => new(_data.AsSpan(0, _length).ToArray(), Count, Codes);

        public Column Column(int count)
        {
            var cells = new byte[count];
            var present = new ulong[ClaimIndex.Words(count)];
            for (var cursor = new Cursor(_data.AsSpan(0, _length).ToArray()); cursor.Next();)
            {
                cells[cursor.Claim] = (byte)(cursor.Key + 1);
                present[cursor.Claim >> 6] |= 1UL << (cursor.Claim & 63);
            }
            return new Column(cells, Codes, present);
        }
    }
}
