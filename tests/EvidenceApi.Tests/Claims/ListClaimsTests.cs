using System.Net;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class ListClaimsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private async Task<List<JsonElement>> WalkAsync(string query, int limit)
    {
        var claims = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = $"/v1/claims?limit={limit}{query}" + (cursor is null ? "" : $"&cursor={cursor}");
            var response = await _client.GetAsync(url);
            var page = await response.JsonAsync();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= limit);
            claims.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.Equal(cursor is not null, response.Headers.Contains("Link"));
        } while (cursor is not null);
        return claims;
    }

    [Fact]
    public async Task Paging_with_the_cursor_returns_every_claim_exactly_once()
    {
        var all = await WalkAsync("", 7);
        var ids = all.Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        await using var db = api.DataSource();
        await using var count = db.CreateCommand("select count(*) from claims where retired_at is null");
        Assert.Equal((long)(await count.ExecuteScalarAsync())!, ids.Count);
    }

    [Theory]
    [InlineData("-createdAt")]
    [InlineData("evidenceLevel")]
    [InlineData("-claimedStrength")]
    [InlineData("position")]
    public async Task Paging_under_each_sort_visits_every_claim_once_in_order(string sort)
    {
        var all = await WalkAsync($"&sort={sort}", 9);
        var ids = all.Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal((await WalkAsync("", 200)).Count, ids.Count);
        if (sort == "position")
        {
            var starts = all.Select(c => c.GetProperty("position").GetProperty("start").GetInt32()).ToList();
            Assert.Equal(starts.Order(), starts);
        }
    }

    [Fact]
    public async Task Link_header_points_at_the_next_page_with_the_same_filters()
    {
        var response = await _client.GetAsync("/v1/claims?limit=2&condition=chronic-pain");
        var page = await response.JsonAsync();
        var link = Assert.Single(response.Headers.GetValues("Link"));
        Assert.Contains("rel=\"next\"", link);
        Assert.Contains("condition=chronic-pain", link);
        Assert.Contains("cursor=" + page.GetProperty("nextCursor").GetString(), link);
        var next = link[(link.IndexOf('<') + 1)..link.IndexOf('>')];
        var nextPage = await (await _client.GetAsync(next)).JsonAsync();
        Assert.NotEqual(page.GetProperty("items")[0].GetProperty("id").GetGuid(), nextPage.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Condition_filter_returns_only_claims_with_that_condition()
    {
        var claims = await WalkAsync("&condition=fibromyalgia,cancer-pain", 50);
        Assert.NotEmpty(claims);
        Assert.All(claims, c => Assert.True(c.GetProperty("conditions").Strings().Intersect(["fibromyalgia", "cancer-pain"]).Any()));
        Assert.Contains(claims, c => c.GetProperty("conditions").Strings().Contains("fibromyalgia"));
        Assert.Contains(claims, c => c.GetProperty("conditions").Strings().Contains("cancer-pain"));
    }

    [Fact]
    public async Task IncludeNarrower_widens_a_condition_to_the_conditions_beneath_it()
    {
        var exact = await WalkAsync("&condition=arthritis", 200);
        var widened = await WalkAsync("&condition=arthritis&includeNarrower=true", 200);
        Assert.True(widened.Count > exact.Count);
        Assert.Contains(widened, c => c.GetProperty("conditions").Strings().Contains("osteoarthritis"));
        Assert.All(exact, c => Assert.Contains("arthritis", c.GetProperty("conditions").Strings()));
    }

    [Fact]
    public async Task Cannabinoid_and_status_filters_combine_with_and()
    {
        var claims = await WalkAsync("&cannabinoid=cbd&status=needs-citation", 50);
        Assert.NotEmpty(claims);
        Assert.All(claims, c =>
        {
            Assert.Contains("cbd", c.GetProperty("cannabinoids").Strings());
            Assert.Equal("needs-citation", c.GetProperty("status").GetString());
        });
        Assert.Empty(await WalkAsync("&cannabinoid=cbd&status=cited", 50));
    }

    [Theory]
    [InlineData("status=maybe", "status")]
    [InlineData("route=intravenous", "route")]
    [InlineData("direction=BENEFIT", "direction")]
    [InlineData("condition=not a slug", "condition")]
    [InlineData("source=123", "source")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("sort=popularity", "sort")]
    [InlineData("sort=relevance", "sort")]
    [InlineData("cursor=definitely-not-a-cursor", "cursor")]
    [InlineData("cursor=eyJzIjoiY3JlYXRlZEF0In0", "cursor")]
    public async Task Invalid_list_parameters_are_400_naming_the_parameter(string query, string parameter)
    {
        var problem = await (await _client.GetAsync($"/v1/claims?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), problem.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task A_cursor_from_another_sort_is_refused()
    {
        var page = await (await _client.GetAsync("/v1/claims?limit=1&sort=-createdAt")).JsonAsync();
        var cursor = page.GetProperty("nextCursor").GetString();
        var problem = await (await _client.GetAsync($"/v1/claims?limit=1&sort=position&cursor={cursor}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("-createdAt", problem.GetProperty("errors").GetProperty("cursor")[0].GetString());
    }

    [Fact]
    public async Task Unknown_vocabulary_terms_are_400_with_the_term_named()
    {
        var problem = await (await _client.GetAsync("/v1/claims?condition=chronic-pain,migraine&cannabinoid=cbn")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("migraine", problem.GetProperty("errors").GetProperty("condition")[0].GetString());
        Assert.Contains("cbn", problem.GetProperty("errors").GetProperty("cannabinoid")[0].GetString());
    }

    [Fact]
    public async Task A_limit_that_is_not_a_number_is_400_not_500()
    {
        var problem = await (await _client.GetAsync("/v1/claims?limit=lots")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("limit", problem.GetProperty("detail").GetString());
    }
}
