using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Claims;

namespace EvidenceApi.Tests.Infrastructure.Http;

/// <summary>What a client of any operation can rely on: one page shape and cursor, named problems, strict parameters,
/// validators on every read, one way of writing times, absolute links.</summary>
public sealed class HttpConventionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/v1/conditions")]
    [InlineData("/v1/cannabinoids")]
    [InlineData("/v1/interventions")]
    [InlineData("/v1/outcomes")]
    [InlineData("/v1/comparators")]
    [InlineData("/v1/populations")]
    [InlineData("/v1/sources")]
    [InlineData("/v1/claims?sort=position")]
    [InlineData("/v1/flags")]
    [InlineData("/v1/editors")]
    [InlineData("/history")]
    public async Task Every_list_pages_with_items_and_an_opaque_cursor_without_gaps_or_repeats(string path)
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var (claim, etag) = await api.CreateClaimAsync(admin);
        var claimUrl = $"/v1/claims/{claim.GetProperty("id")}";
        for (var i = 0; i < 3; i++)
        {
            var flagged = await admin.SendJsonAsync(HttpMethod.Post, $"{claimUrl}/flags", new { reason = "unsupported" }, etag);
            etag = flagged.Headers.GetValues("Claim-ETag").Single();
        }
        await api.CreateEditorAsync();
        await using (var db = api.DataSource())
        await using (var source = db.CreateCommand("""
            insert into sources (id, title, text, sha256)
            select gen_random_uuid(), 'Paging test', t, encode(sha256(convert_to(t, 'UTF8')), 'hex') from (select gen_random_uuid()::text as t) x
            """))
            await source.ExecuteNonQueryAsync();
        var url = path == "/history" ? $"{claimUrl}/history" : path;

        var whole = await (await admin.GetAsync(url + (url.Contains('?') ? "&" : "?") + "limit=200")).JsonAsync();
        var expected = whole.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()).ToList();
        Assert.True(expected.Count >= 2, $"{url} has {expected.Count} items");

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync(url + (url.Contains('?') ? "&" : "?") + "limit=1" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null && paged.Count <= expected.Count);
        Assert.Equal(expected, paged);

        // a cursor of one list means nothing to another
        var foreign = (await (await admin.GetAsync("/v1/conditions?limit=1")).JsonAsync()).GetProperty("nextCursor").GetString();
        if (!path.StartsWith("/v1/c") || path.StartsWith("/v1/claims"))
            await (await admin.GetAsync(url + (url.Contains('?') ? "&" : "?") + $"cursor={foreign}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync(url + (url.Contains('?') ? "&" : "?") + "cursor=not-a-cursor")).ProblemAsync(HttpStatusCode.BadRequest);
        // a forged cursor whose text is not Unicode (a lone surrogate) is a bad cursor too, whatever its order claims
        foreach (var order in new[] { "createdAt", "position", "raised", "created", "conditions", "interventions", "outcomes", "comparators", "populations", "name", "version" })
        {
            var forged = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(
                $"{{\"o\":\"{order}\",\"k\":[\"\\ud800\"]}}"));
            await (await admin.GetAsync(url + (url.Contains('?') ? "&" : "?") + $"cursor={forged}")).ProblemAsync(HttpStatusCode.BadRequest);
            var forgedPair = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(
                $"{{\"o\":\"{order}\",\"k\":[\"2025-01-01T00:00:00Z\",\"\\ud800\"]}}"));
            await (await admin.GetAsync(url + (url.Contains('?') ? "&" : "?") + $"cursor={forgedPair}")).ProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Theory]
    [InlineData("/v1/claims?conditon=chronic-pain", "conditon")]
    [InlineData("/v1/claims/facets?by=status&statuss=cited", "statuss")]
    [InlineData("/v1/conditions?page=2", "page")]
    [InlineData("/v1/claims/00000000-0000-0000-0000-000000000001?expand=citations", "expand")]
    public async Task An_unknown_query_parameter_is_400_naming_it_and_the_ones_taken(string url, string parameter)
    {
        var problem = await (await api.Client.GetAsync(url)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("It takes:", detail);
        if (url.StartsWith("/v1/claims?")) Assert.Contains("condition", detail);
    }

    [Fact]
    public async Task Every_problem_names_a_type_that_says_what_it_means()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id")}";
        var answers = new[]
        {
            (await api.Client.GetAsync("/v1/claims?limit=0"), "invalid"),
            (await api.Client.GetAsync($"/v1/claims/{Guid.NewGuid()}"), "not-found"),
            (await api.Client.GetAsync("/v1/nothing-here"), "not-found"),
            (await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "x" }, null, "application/merge-patch+json"), "precondition-required"),
            (await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "x" }, "\"99\"", "application/merge-patch+json"), "precondition-failed"),
            (await editor.SendJsonAsync(HttpMethod.Patch, url, new { evidenceLevel = "conclusive" }, etag, "application/merge-patch+json"), "unprocessable"),
            (await api.Client.PostAsync("/v1/claims", null), "unauthorized"),
            (await editor.GetAsync("/v1/editors"), "forbidden"),
            (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", "{", contentType: "application/json"), "bad-request"),
            (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", "{}", contentType: "text/plain"), "unsupported-media-type"),
            (await api.Client.DeleteAsync("/v1/conditions"), "method-not-allowed"),
        };
        foreach (var (response, slug) in answers)
        {
            var problem = (await response.Content.ReadFromJsonAsync<JsonElement>());
            Assert.True($"/problems/{slug}" == problem.GetProperty("type").GetString(), $"{(int)response.StatusCode}: {problem}");
            var kind = await (await api.Client.GetAsync($"/problems/{slug}")).JsonAsync();
            Assert.Equal((int)response.StatusCode, kind.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(kind.GetProperty("description").GetString()));
        }
        var all = await (await api.Client.GetAsync("/problems")).JsonAsync();
        Assert.True(all.GetProperty("items").GetArrayLength() >= 14);
        // the contract names every type a client can meet
        var description = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(OpenApi.OpenApiDocumentTests.CommittedPath()))!["info"]!["description"]!
            .GetValue<string>();
        Assert.All(all.GetProperty("items").EnumerateArray(), kind => Assert.Contains(kind.GetProperty("slug").GetString()!, description));
    }

    [Fact]
    public async Task Facets_without_by_is_one_clear_error()
    {
        var problem = await (await api.Client.GetAsync("/v1/claims/facets")).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Single(errors.EnumerateObject());
        Assert.Single(errors.GetProperty("by").EnumerateArray());
    }

    [Fact]
    public async Task One_claim_its_citation_and_its_flag_carry_validators()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id")}";
        var cited = await editor.SendJsonAsync(HttpMethod.Post, $"{url}/citations",
            new { kind = "pmid", identifier = "123456", title = "t", year = 2020, stance = "supports" }, etag);
        var citation = cited.Headers.Location!.ToString();
        var flagged = await editor.SendJsonAsync(HttpMethod.Post, $"{url}/flags", new { reason = "unsupported" },
            cited.Headers.GetValues("Claim-ETag").Single());
        foreach (var path in new[] { citation, flagged.Headers.Location!.ToString() })
        {
            var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(response.Headers.ETag);
            Assert.True(response.Headers.CacheControl is { Public: true, MustRevalidate: true } cache && cache.MaxAge == TimeSpan.Zero,
                response.Headers.CacheControl?.ToString());
            var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.Tag);
            Assert.Equal(HttpStatusCode.NotModified, (await api.Client.SendAsync(again)).StatusCode);
        }
    }

    [Fact]
    public async Task Times_are_written_one_way_in_json_csv_and_jsonl()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetString();
        var format = new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$");
        var json = claim.GetProperty("createdAt").GetString()!;
        Assert.Matches(format, json);
        Assert.Matches(format, claim.GetProperty("updatedAt").GetString()!);

        var csv = FacetAndExportTests.Csv.Parse(await (await api.Client.GetAsync($"/v1/claims/export?format=csv&id={id}")).Content.ReadAsStringAsync());
        Assert.Equal(json, csv[1][Array.IndexOf(csv[0], "createdAt")]);
        var line = JsonDocument.Parse(await (await api.Client.GetAsync($"/v1/claims/export?format=jsonl&id={id}")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(json, line.GetProperty("createdAt").GetString());
        var history = await (await api.Client.GetAsync($"/v1/claims/{id}/history")).JsonAsync();
        Assert.Matches(format, history.GetProperty("items")[0].GetProperty("changedAt").GetString()!);
    }

    [Fact]
    public async Task History_says_what_each_change_changed()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id")}";
        var patched = await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "eases nerve pain" }, etag, "application/merge-patch+json");
        var cited = await editor.SendJsonAsync(HttpMethod.Post, $"{url}/citations",
            new { kind = "doi", identifier = "https://doi.org/10.17226/24625", title = "NASEM 2017", year = 2017, stance = "mixed" },
            patched.Headers.ETag!.Tag);
        var flagged = await editor.SendJsonAsync(HttpMethod.Post, $"{url}/flags", new { reason = "overstated", note = "too strong" },
            cited.Headers.GetValues("Claim-ETag").Single());
        var flag = (await flagged.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await editor.SendJsonAsync(HttpMethod.Post, $"/v1/flags/{flag}/resolve", new { resolution = "dismissed" },
            flagged.Headers.GetValues("Claim-ETag").Single());

        var items = (await (await api.Client.GetAsync($"{url}/history")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["created", "updated", "cited", "flagged", "flag-resolved"], items.Select(i => i.GetProperty("change").GetString()));
        Assert.Empty(items[0].GetProperty("changes").EnumerateArray());

        var effect = items[1].GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "effect");
        Assert.Equal(claim.GetProperty("effect").GetString(), effect.GetProperty("before").GetString());
        Assert.Equal("eases nerve pain", effect.GetProperty("after").GetString());
        Assert.DoesNotContain(items[1].GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() is "version" or "updatedAt");

        Assert.Equal("10.17226/24625", items[2].GetProperty("detail").GetProperty("citation").GetProperty("identifier").GetString());
        var status = items[2].GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "status");
        Assert.Equal("needs-citation", status.GetProperty("before").GetString());
        Assert.Equal("cited", status.GetProperty("after").GetString());
        Assert.Equal("overstated", items[3].GetProperty("detail").GetProperty("flag").GetProperty("reason").GetString());
        Assert.Equal("dismissed", items[4].GetProperty("detail").GetProperty("flag").GetProperty("resolution").GetString());
    }

    [Fact]
    public async Task The_next_page_link_is_absolute()
    {
        var response = await api.Client.GetAsync("/v1/claims?limit=1&sort=position");
        var link = response.Headers.GetValues("Link").Single();
        Assert.Matches(@"^<http://localhost/v1/claims\?[^>]*cursor=[^>]+>; rel=""next""$", link);
    }
}
