using System.Net;
using System.Text;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class FacetAndExportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<int> ListCountAsync(string query)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await (await api.Client.GetAsync($"/v1/claims?limit=200&{query}" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return count;
    }

    [Theory]
    [InlineData("")]
    [InlineData("&cannabinoid=cbd,thc")]
    [InlineData("&claimedStrength=asserted&condition=chronic-pain&includeNarrower=true")]
    public async Task Facet_counts_agree_with_list_counts_for_the_same_filters(string filters)
    {
        var facets = await (await api.Client.GetAsync($"/v1/claims/facets?by=condition,status,outcome,claimedStrength{filters}")).JsonAsync();
        Assert.Equal(await ListCountAsync(filters), facets.GetProperty("total").GetInt32());
        foreach (var (by, parameter) in new[] { ("condition", "condition"), ("status", "status"), ("outcome", "outcome"), ("claimedStrength", "claimedStrength") })
        {
            var values = facets.GetProperty("facets").GetProperty(by).EnumerateArray().ToList();
            Assert.NotEmpty(values);
            // a facet on a field the filters already constrain would need two values of one parameter: skip that pair
            if (filters.Contains($"&{parameter}=")) continue;
            foreach (var value in values.Take(4))
                Assert.Equal(await ListCountAsync($"{filters}&{parameter}={value.GetProperty("value").GetString()}"), value.GetProperty("count").GetInt32());
        }
    }

    private const string AllFacets = "condition,cannabinoid,route,population,comparator,outcome,direction,claimedStrength,evidenceLevel,status,source";

    private async Task AssertCountedFacetsMatchLiveCountsAsync()
    {
        // no filter reads the trigger-kept counts; a filter that keeps every claim counts live
        var counted = await (await api.Client.GetAsync($"/v1/claims/facets?by={AllFacets}")).JsonAsync();
        var live = await (await api.Client.GetAsync($"/v1/claims/facets?by={AllFacets}&claimedStrength=asserted,suggested,speculative")).JsonAsync();
        Assert.Equal(live.GetRawText(), counted.GetRawText());
    }

    [Fact]
    public async Task Unfiltered_facets_stay_exact_through_every_kind_of_change_and_compaction()
    {
        await AssertCountedFacetsMatchLiveCountsAsync();
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        await AssertCountedFacetsMatchLiveCountsAsync();

        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new
        {
            conditions = new[] { "fibromyalgia", "osteoarthritis" },
            cannabinoids = new[] { "thc" },
            outcome = "sleep",
            routes = new[] { "oral", "topical" },
            comparator = "placebo"
        }, etag)).JsonAsync();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "pmid", identifier = "77", title = "t", year = 2021, stance = "supports" }, "\"2\"")).JsonAsync(HttpStatusCode.Created);
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "moderate" }, "\"3\"")).JsonAsync();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "outdated" }, "\"4\"")).JsonAsync(HttpStatusCode.Created);
        await AssertCountedFacetsMatchLiveCountsAsync();

        await using (var db = api.DataSource())
        await using (var compact = db.CreateCommand("select compact_facet_counts()"))
            await compact.ExecuteNonQueryAsync();
        await AssertCountedFacetsMatchLiveCountsAsync();

        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "test" }, "\"5\"")).JsonAsync();
        await AssertCountedFacetsMatchLiveCountsAsync();
    }

    [Theory]
    [InlineData("by=popularity")]
    [InlineData("")]
    [InlineData("by=status&status=nope")]
    [InlineData("by=condition&condition=migraine")]
    public async Task Bad_facet_requests_are_400(string query) =>
        await (await api.Client.GetAsync($"/v1/claims/facets?{query}")).ProblemAsync(HttpStatusCode.BadRequest);

    [Fact]
    public async Task Csv_export_has_a_header_and_one_row_per_matching_claim()
    {
        var response = await api.Client.GetAsync("/v1/claims/export?format=csv&condition=fibromyalgia");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("id", rows[0][0]);
        Assert.Equal(await ListCountAsync("condition=fibromyalgia"), rows.Count - 1);
        Assert.All(rows.Skip(1), r => Assert.Contains("fibromyalgia", r[Array.IndexOf(rows[0], "conditions")].Split(';')));
    }

    [Fact]
    public async Task Csv_export_escapes_quotes_commas_and_newlines()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        const string tricky = "reduces \"pain\", then\r\nsleeps; well";
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { effect = tricky }, etag)).JsonAsync();

        var rows = Csv.Parse(await (await api.Client.GetAsync($"/v1/claims/export?format=csv&id={id}")).Content.ReadAsStringAsync());
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0].Length, rows[1].Length);
        Assert.Equal(tricky, rows[1][Array.IndexOf(rows[0], "effect")]);
        Assert.Equal(claim.GetProperty("quote").GetString(), rows[1][Array.IndexOf(rows[0], "quote")]);
    }

    [Fact]
    public async Task Jsonl_export_has_one_object_per_matching_claim()
    {
        var response = await api.Client.GetAsync("/v1/claims/export?format=jsonl&status=needs-citation");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(await ListCountAsync("status=needs-citation"), lines.Length);
        Assert.All(lines, l => Assert.Equal("needs-citation", JsonDocument.Parse(l).RootElement.GetProperty("status").GetString()));
        await (await api.Client.GetAsync("/v1/claims/export?format=xlsx")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>A strict RFC 4180 reader, so the test does not trust the writer's own escaping.</summary>
    internal static class Csv
    {
        public static List<string[]> Parse(string text)
        {
            var rows = new List<string[]>();
            var row = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else field.Append(c);
                }
                else if (c == '"') quoted = true;
                else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
                else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    row.Add(field.ToString()); field.Clear(); rows.Add(row.ToArray()); row.Clear(); i++;
                }
                else field.Append(c);
            }
            Assert.False(quoted, "unterminated quoted field");
            Assert.Equal(0, field.Length + row.Count);
            return rows;
        }
    }
}
