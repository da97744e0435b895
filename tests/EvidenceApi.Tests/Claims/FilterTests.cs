using System.Net;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class FilterTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<List<JsonElement>> AllAsync(string query)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await api.Client.GetAsync($"/v1/claims?limit=200&{query}" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return items;
    }

    private static bool Has(JsonElement claim, string field, string value) =>
        claim.GetProperty(field).ValueKind == JsonValueKind.Array
            ? claim.GetProperty(field).Strings().Contains(value)
            : claim.GetProperty(field).ToString() == value;

    [Theory]
    [InlineData("condition", "conditions", "neuropathic-pain", "fibromyalgia")]
    [InlineData("cannabinoid", "cannabinoids", "thc", "cbd")]
    [InlineData("route", "routes", "topical", "transdermal")]
    [InlineData("population", "population", "cancer-patients", "children-adolescents")]
    [InlineData("comparator", "comparator", "opioids", "nsaids")]
    [InlineData("outcome", "outcome", "sleep", "dependence")]
    [InlineData("direction", "direction", "harm", "no-effect")]
    [InlineData("claimedStrength", "claimedStrength", "asserted", "speculative")]
    [InlineData("evidenceLevel", "evidenceLevel", "unassessed", "limited")]
    [InlineData("status", "status", "needs-citation", "flagged")]
    public async Task Each_filter_alone_and_with_two_values_returns_exactly_the_matching_claims(string parameter, string field, string a, string b)
    {
        var everything = await AllAsync("");
        var onlyA = await AllAsync($"{parameter}={a}");
        Assert.NotEmpty(onlyA);
        Assert.Equal(everything.Count(c => Has(c, field, a)), onlyA.Count);
        Assert.All(onlyA, c => Assert.True(Has(c, field, a)));

        var either = await AllAsync($"{parameter}={a},{b}");
        Assert.Equal(everything.Count(c => Has(c, field, a) || Has(c, field, b)), either.Count);
    }

    [Fact]
    public async Task Filters_combine_with_and()
    {
        var everything = await AllAsync("");
        var combined = await AllAsync("condition=chronic-pain&outcome=adverse-effects&claimedStrength=asserted,suggested");
        var expected = everything.Count(c => Has(c, "conditions", "chronic-pain") && Has(c, "outcome", "adverse-effects")
                                             && (Has(c, "claimedStrength", "asserted") || Has(c, "claimedStrength", "suggested")));
        Assert.True(expected > 0);
        Assert.Equal(expected, combined.Count);
    }

    [Fact]
    public async Task Source_and_id_filters_pick_claims_and_more_than_100_ids_is_400()
    {
        var some = (await AllAsync("")).Take(3).ToList();
        var ids = string.Join(",", some.Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(3, (await AllAsync($"id={ids}")).Count);
        var source = some[0].GetProperty("source").GetProperty("id").GetGuid();
        Assert.NotEmpty(await AllAsync($"source={source}"));
        Assert.Empty(await AllAsync($"source={Guid.NewGuid()}"));

        var tooMany = string.Join(",", Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()));
        await (await api.Client.GetAsync($"/v1/claims?id={tooMany}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Overclaim_filter_matches_the_derived_field()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "insufficient" }, etag)).JsonAsync();
        var overclaims = await AllAsync("overclaim=true");
        Assert.Contains(overclaims, c => c.GetProperty("id").GetGuid() == id);
        Assert.All(overclaims, c => Assert.True(c.GetProperty("overclaim").GetBoolean()));
        Assert.DoesNotContain(await AllAsync("overclaim=false"), c => c.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Full_text_search_finds_matching_claims_in_relevance_order()
    {
        var found = await AllAsync("q=neuropathic pain");
        Assert.NotEmpty(found);
        Assert.All(found, c => Assert.Contains("neuropath", (c.GetProperty("quote").GetString() + c.GetProperty("effect").GetString()).ToLowerInvariant()));

        await using var db = api.DataSource();
        await using var command = db.CreateCommand("""
            select id from claims, websearch_to_tsquery('english', 'neuropathic pain') q
            where search @@ q and retired_at is null order by ts_rank(search, q) desc, id desc
            """);
        var expected = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) expected.Add(reader.GetGuid(0));
        Assert.Equal(expected, found.Select(c => c.GetProperty("id").GetGuid()));

        var paged = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await api.Client.GetAsync("/v1/claims?q=neuropathic%20pain&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.Equal(expected, paged);
        Assert.Empty(await AllAsync("q=xylophone"));
    }

    [Fact]
    public async Task Paging_by_created_at_has_no_gaps_or_duplicates_when_claims_change_between_pages()
    {
        var editor = await api.EditorClientAsync();
        var first = await (await api.Client.GetAsync("/v1/claims?limit=10")).JsonAsync();
        var edited = first.GetProperty("items")[9].GetProperty("id").GetGuid();
        var current = await api.Client.GetAsync($"/v1/claims/{edited}");
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{edited}", new { section = "Introduction" }, current.Headers.ETag!.Tag)).JsonAsync();

        var seen = first.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        string? cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await (await api.Client.GetAsync($"/v1/claims?limit=10&cursor={cursor}")).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal((await AllAsync("")).Count, seen.Count);
    }
}
