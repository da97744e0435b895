using Dapper;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

/// <summary>
/// Relevance rankings and filtered facet counts are kept in memory under the catalogue change count
/// (db/migrations/0005). These tests prove that what is kept never outlives a change, and that pages sliced from a
/// kept ranking and pages beyond it follow one order: ts_rank, then id, as PostgreSQL computes them.
/// </summary>
public sealed class KeptResultsTests(KeptResultsTests.ShallowRankingApi api) : IClassFixture<KeptResultsTests.ShallowRankingApi>
{
    /// <summary>Keeps only the best 3 matches of a search, so that paging crosses from kept pages to queried ones.</summary>
    public sealed class ShallowRankingApi : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["ResultCache:RankingDepth"] = "3" };
    }

    private async Task<long> ChangesAsync()
    {
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select sum(changes) from catalogue_changes");
    }

    private async Task<List<Guid>> SearchAsync(string q, int limit)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await api.Client.GetAsync($"/v1/claims?q={Uri.EscapeDataString(q)}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return ids;
    }

    private async Task<List<Guid>> RankedBySqlAsync(string q)
    {
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Guid>("""
            select id from claims, websearch_to_tsquery('english', @q) query
            where search @@ query and retired_at is null order by ts_rank(search, query) desc, id desc
            """, new { q })).ToList();
    }

    [Fact]
    public async Task Every_committed_claim_change_raises_the_change_count_and_compaction_keeps_it()
    {
        var editor = await api.EditorClientAsync();
        var before = await ChangesAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var created = await ChangesAsync();
        Assert.True(created > before);

        var id = claim.GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { section = "Dosing" }, etag)).JsonAsync();
        var patched = await ChangesAsync();
        Assert.True(patched > created);

        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("select compact_catalogue_changes()");
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("select count(*) from catalogue_changes"));
        Assert.Equal(patched, await ChangesAsync());
    }

    [Theory]
    [InlineData("pain", 2)]
    [InlineData("chronic pain", 1)]
    [InlineData("cannabis", 4)]
    public async Task Search_pages_follow_ts_rank_order_inside_and_beyond_the_kept_ranking(string q, int limit)
    {
        var expected = await RankedBySqlAsync(q);
        Assert.True(expected.Count > 3, "the search must match more claims than the ranking keeps");
        Assert.Equal(expected, await SearchAsync(q, limit));
        Assert.Equal(expected, await SearchAsync(q, limit)); // again, now from the kept ranking
    }

    [Fact]
    public async Task A_search_shows_an_edit_at_once()
    {
        const string word = "quetzalcoatl";
        Assert.Empty(await SearchAsync(word, 10)); // ranked and kept: no match

        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { effect = $"eases {word} pain" }, etag)).JsonAsync();
        Assert.Equal([id], await SearchAsync(word, 10));

        var current = await api.Client.GetAsync($"/v1/claims/{id}");
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "duplicate" }, current.Headers.ETag!.Tag)).JsonAsync();
        Assert.Empty(await SearchAsync(word, 10));
    }

    [Fact]
    public async Task Filtered_facets_show_an_edit_at_once()
    {
        const string url = "/v1/claims/facets?by=condition,status&condition=cancer-pain&cannabinoid=terpenes";
        async Task<(int Total, int CancerPain)> CountAsync()
        {
            var facets = await (await api.Client.GetAsync(url)).JsonAsync();
            var cancer = facets.GetProperty("facets").GetProperty("condition").EnumerateArray()
                .Where(v => v.GetProperty("value").GetString() == "cancer-pain").Select(v => v.GetProperty("count").GetInt32()).SingleOrDefault();
            return (facets.GetProperty("total").GetInt32(), cancer);
        }
        var before = await CountAsync();
        Assert.Equal(before, await CountAsync()); // kept

        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}",
            new { conditions = new[] { "cancer-pain" }, cannabinoids = new[] { "terpenes" } }, etag)).JsonAsync();
        Assert.Equal((before.Total + 1, before.CancerPain + 1), await CountAsync());

        var current = await api.Client.GetAsync($"/v1/claims/{id}");
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "duplicate" }, current.Headers.ETag!.Tag)).JsonAsync();
        Assert.Equal(before, await CountAsync());
    }
}
