using Dapper;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>
/// The best matches of a search in relevance order (ts_rank descending, then id descending, exactly as the list
/// query orders them), at most `ResultCache:RankingDepth` of them. Ranking a common word in SQL ranks every claim that
/// contains it, ~170 ms at a million claims; the claim index (<see cref="ClaimIndex"/>) ranks the same floats from its
/// postings in a few milliseconds when it was built at the request's view of the catalogue, else SQL does. Kept in
/// <see cref="CatalogueResults"/>, a ranking is made once per change to the claims, and each page is a slice of it.
/// Pages beyond the kept matches run the ranked query itself.
/// </summary>
public sealed class RelevanceRanking(IReadOnlyList<RelevanceRanking.Match> matches, bool complete)
{
    public readonly record struct Match(float Rank, Guid Id);

    public static async Task<RelevanceRanking> ComputeAsync(NpgsqlConnection connection, ClaimFilter filter, ClaimSort sort,
        int depth, ClaimIndex.Snapshot? index, CancellationToken ct)
    {
        var rows = index is null ? null : await FromIndexAsync(connection, filter, index, depth + 1, ct);
        if (rows is null)
        {
            var parameters = new DynamicParameters(filter);
            parameters.Add("Depth", depth + 1);
            rows = (await connection.QueryAsync<(Guid Id, float Rank)>(new CommandDefinition($"""
                select c.id, {sort.Expression} as rank
                from claims c
                {filter.WhereClause}
                {sort.OrderBy}
                limit @Depth
                """, parameters, cancellationToken: ct))).Select(r => new Match(r.Rank, r.Id)).ToList();
        }
        var complete = rows.Count <= depth;
        return new RelevanceRanking(complete ? rows : rows.Take(depth).ToList(), complete);
    }

    /// <summary>The best <paramref name="keep"/> matches from the claim index; null when it cannot answer the search.
    /// PostgreSQL parses the search (its stemmer and stop words), the index answers it.</summary>
    public static async Task<List<Match>?> FromIndexAsync(NpgsqlConnection connection, ClaimFilter filter, ClaimIndex.Snapshot index,
        int keep, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select websearch_to_tsquery('english', @query), websearch_to_tsquery('english', @rest)", connection);
        command.Parameters.AddWithValue("query", filter.Query!);
        command.Parameters.AddWithValue("rest", NpgsqlTypes.NpgsqlDbType.Text, (object?)filter.SearchRest ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var query = reader.GetFieldValue<NpgsqlTypes.NpgsqlTsQuery>(0);
        var rest = reader.IsDBNull(1) ? null : reader.GetFieldValue<NpgsqlTypes.NpgsqlTsQuery>(1);
        return index.Search(filter, query, rest, keep);
    }

    public int Count => matches.Count;

    /// <summary>
    /// The <paramref name="count"/> matches after the cursor's (or from the start), fewer at the end of the results;
    /// null when they reach past the kept matches.
    /// </summary>
    public IReadOnlyList<Match>? After(ClaimCursor? cursor, int count)
    {
        var start = cursor is null ? 0 : FirstAfter((float)cursor.Value, cursor.Id);
        if (start + count > matches.Count && !complete) return null;
        return matches.Skip(start).Take(count).ToList();
    }

    // Binary search for the first match that sorts after (rank, id) in (rank desc, id desc) order.
    private int FirstAfter(float rank, Guid id)
    {
        int low = 0, high = matches.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            var m = matches[mid];
            // Guid.CompareTo orders as PostgreSQL orders uuids: by their bytes in written order
            if (m.Rank < rank || (m.Rank == rank && m.Id.CompareTo(id) < 0)) high = mid;
            else low = mid + 1;
        }
        return low;
    }
}
