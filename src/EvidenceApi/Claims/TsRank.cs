namespace EvidenceApi.Claims;

/// <summary>
/// PostgreSQL's <c>ts_rank(tsvector, tsquery)</c> with its default weights and no normalisation, computed as PostgreSQL
/// computes it (src/backend/utils/adt/tsrank.c: calc_rank, calc_rank_and, calc_rank_or), operation for operation in the
/// same order and precision, so that both give the same float: a ranking made in memory and one made in SQL order
/// claims the same way, and a cursor from either pages the other. *Claims/TsRankTests* compares them on real rows.
/// </summary>
public static class TsRank
{
    /// <summary>A position as PostgreSQL stores it: 14 bits of position, then 2 of weight (0 = D … 3 = A).</summary>
    public static ushort Position(int position, int weight) => (ushort)((weight << 14) | Math.Min(position, MaxEntryPos - 1));

    /// <summary>The position list of a lexeme stored without positions (PostgreSQL's POSNULL).</summary>
    public static readonly ushort[] NoPositions = [Position(MaxEntryPos - 1, 0)];

    private const int MaxEntryPos = 1 << 14;
    private static readonly float[] Weights = [0.1f, 0.2f, 0.4f, 1.0f]; // D, C, B, A

    private static float Weight(ushort position) => Weights[position >> 14];

    private static int Offset(ushort position) => position & (MaxEntryPos - 1);

    private static readonly float[] Distances = Enumerable.Range(0, 101).Select(WordDistance).ToArray();

    // the weight of a collocation of two words `distance` apart
    private static float WordDistance(int distance) =>
        distance > 100 ? 1e-30f : (float)(1.0 / (1.005 + 0.05 * Math.Exp((float)distance / 1.5 - 2)));

    /// <param name="items">The query's lexemes sorted and without repeats (<see cref="SortAndUnique"/>); each item's
    /// position list in the document, or null when the document does not contain it.</param>
    /// <param name="and">The query's top operator is AND or FOLLOWED BY.</param>
    /// <param name="emptyDocument">The tsvector has no lexeme.</param>
    public static float Rank(ReadOnlySpan<ushort[]?> items, bool and, bool emptyDocument)
    {
        if (emptyDocument || items.Length == 0) return 0f;
        var rank = and && items.Length >= 2 ? RankAnd(items) : RankOr(items);
        return rank < 0 ? 1e-20f : rank;
    }

    private static float RankAnd(ReadOnlySpan<ushort[]?> items)
    {
        var rank = -1.0f;
        for (var i = 1; i < items.Length; i++)
        {
            if (items[i] is not { } post) continue;
            for (var k = 0; k < i; k++)
            {
                if (items[k] is not { } other) continue;
                var anyWithoutPositions = ReferenceEquals(post, NoPositions) || ReferenceEquals(other, NoPositions);
                foreach (var a in post)
                {
                    foreach (var b in other)
                    {
                        var distance = Math.Abs(Offset(a) - Offset(b));
                        if (distance == 0 && !anyWithoutPositions) continue;
                        if (distance == 0) distance = MaxEntryPos;
                        // float products rounded at each step, the square root in double, as C does it
                        var product = (float)(Weight(a) * Weight(b));
                        product = (float)(product * (distance > 100 ? 1e-30f : Distances[distance]));
                        var current = (float)Math.Sqrt(product);
                        rank = rank < 0 ? current : (float)(1.0 - (1.0 - rank) * (1.0 - current));
                    }
                }
            }
        }
        return rank;
    }

    private static float RankOr(ReadOnlySpan<ushort[]?> items)
    {
        var rank = 0.0f;
        foreach (var item in items)
        {
            if (item is null) continue;
            float sum = 0.0f, maxWeight = -1.0f;
            var maxAt = 0;
            for (var j = 0; j < item.Length; j++)
            {
                var weight = Weight(item[j]);
                sum = (float)(sum + (float)(weight / ((j + 1) * (j + 1))));
                if (weight > maxWeight)
                {
                    maxWeight = weight;
                    maxAt = j;
                }
            }
            var term = (float)((float)(maxWeight + sum) - (float)(maxWeight / ((maxAt + 1) * (maxAt + 1))));
            rank = (float)(rank + term / 1.64493406685);
        }
        return (float)(rank / items.Length);
    }

    /// <summary>The lexemes in PostgreSQL's order for ranking: by their UTF-8 bytes, then by length; each once.</summary>
    public static string[] SortAndUnique(IEnumerable<string> lexemes)
    {
        var sorted = lexemes.Distinct(StringComparer.Ordinal).ToList();
        sorted.Sort((a, b) => CompareBytes(a, b));
        return [.. sorted];
    }

    private static int CompareBytes(string a, string b)
    {
        var x = System.Text.Encoding.UTF8.GetBytes(a);
        var y = System.Text.Encoding.UTF8.GetBytes(b);
        var common = x.AsSpan(0, Math.Min(x.Length, y.Length)).SequenceCompareTo(y.AsSpan(0, Math.Min(x.Length, y.Length)));
        return common != 0 ? common : x.Length.CompareTo(y.Length);
    }
}
