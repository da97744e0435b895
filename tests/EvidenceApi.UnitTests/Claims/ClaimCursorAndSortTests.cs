using EvidenceApi.Claims;

namespace EvidenceApi.UnitTests.Claims;

public sealed class ClaimCursorAndSortTests
{
    [Theory]
    [InlineData("createdAt", true)]
    [InlineData("-updatedAt", true)]
    [InlineData("evidenceLevel", true)]
    [InlineData("relevance", true)]
    [InlineData("--createdAt", false)]
    [InlineData(" createdAt", false)]
    [InlineData("CreatedAt", false)]
    [InlineData("-relevance", false)]
    [InlineData("id", false)]
    public void Only_the_documented_sorts_parse(string name, bool parses) => Assert.Equal(parses, ClaimSort.TryParse(name, out _));

    [Fact]
    public void Every_sort_ends_with_the_id_so_paging_is_total()
    {
        foreach (var name in ClaimSort.Names)
        {
            Assert.True(ClaimSort.TryParse(name, out var sort));
            Assert.EndsWith(sort.Descending ? "c.id desc" : "c.id", sort.OrderBy);
        }
    }

    [Theory]
    [InlineData("createdAt")]
    [InlineData("-evidenceLevel")]
    [InlineData("relevance")]
    public void A_claim_cursor_round_trips_for_its_sort_and_no_other(string name)
    {
        ClaimSort.TryParse(name, out var sort);
        object value = sort.Kind switch
        {
            SortValueKind.Time => new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            SortValueKind.Integer => 3,
            _ => 0.25f,
        };
        var cursor = new ClaimCursor(sort.Name, value, Guid.CreateVersion7());
        Assert.True(ClaimCursor.TryDecode(cursor.Encode(), sort, out var decoded, out _));
        Assert.Equal(cursor, decoded);

        ClaimSort.TryParse("position", out var other);
        Assert.False(ClaimCursor.TryDecode(cursor.Encode(), other, out _, out _));
    }

    [Fact]
    public void A_kept_ranking_pages_after_the_cursor_in_rank_then_id_order()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).OrderDescending().ToArray();
        var matches = new RelevanceRanking.Match[]
        {
            new(0.9f, ids[0]), new(0.5f, ids[0]), new(0.5f, ids[1]), new(0.5f, ids[2]), new(0.1f, ids[3]),
        };
        var ranking = new RelevanceRanking(matches, complete: true);
        ClaimSort.TryParse("relevance", out var sort);
        var page = ranking.After(new ClaimCursor(sort.Name, 0.5f, ids[1]), 10)!;
        Assert.Equal([matches[3], matches[4]], page);
        Assert.Equal(matches.Take(2), ranking.After(null, 2));

        var partial = new RelevanceRanking(matches, complete: false);
        Assert.Null(partial.After(new ClaimCursor(sort.Name, 0.5f, ids[1]), 10));
    }
}
