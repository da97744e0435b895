using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Findings;

public sealed class FindingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Nasem = "10.17226/24625";
    private static readonly string[] Shipped = [Nasem, "10.1136/bmj.n1034", "10.1093/sleep/zsab234"];

    private async Task<List<JsonElement>> AllFindingsAsync(string query = "")
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await api.Client.GetAsync($"/v1/findings?limit=10{query}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}")).JsonAsync();
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        return all;
    }

    private async Task<JsonElement> FindingAsync(string locator) =>
        (await AllFindingsAsync($"&doi={Nasem}")).Single(f => f.GetProperty("locator").GetString() == locator);

    [Fact]
    public async Task Every_shipped_finding_has_a_doi_a_locator_a_level_and_terms_the_vocabularies_have()
    {
        var findings = await AllFindingsAsync();
        Assert.True(findings.Count >= 20, $"only {findings.Count} findings shipped");
        foreach (var f in findings)
        {
            Assert.Matches(@"^10\.\d{4,9}/\S+$", f.GetProperty("synthesis").GetProperty("doi").GetString());
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("locator").GetString()));
            var level = f.GetProperty("level");
            var allowed = level.GetProperty("scheme").GetString() == "nasem-2017"
                ? new[] { "conclusive", "substantial", "moderate", "limited", "insufficient" }
                : ["high", "moderate", "low", "very-low"];
            Assert.Contains(level.GetProperty("value").GetString(), allowed);
            if (Shipped.Contains(f.GetProperty("synthesis").GetProperty("doi").GetString()))
                Assert.True(f.GetProperty("verifiedIn").GetArrayLength() >= 2, "each shipped finding was checked in two copies");
            foreach (var (field, vocabulary) in new[] { ("conditions", "conditions"), ("cannabinoids", "interventions") })
                foreach (var slug in f.GetProperty(field).Strings())
                    Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync($"/v1/{vocabulary}/{slug}")).StatusCode);
        }
        // the National Academies' therapeutic conclusion on chronic pain, and harms that matter to pain patients
        var chronicPain = await FindingAsync("4-1");
        Assert.Equal("substantial", chronicPain.GetProperty("level").GetProperty("value").GetString());
        Assert.Contains("chronic pain in adults", chronicPain.GetProperty("statement").GetString());
        foreach (var harm in new[] { "7-3a", "9-3", "12-1", "14-3" })
            Assert.Equal("harm", (await FindingAsync(harm)).GetProperty("direction").GetString());
        Assert.Contains(findings, f => f.GetProperty("level").GetProperty("scheme").GetString() == "grade");
    }

    [Fact]
    public async Task Findings_filter_like_claims_through_the_hierarchy()
    {
        var chronic = await AllFindingsAsync("&condition=chronic-pain");
        Assert.Contains(chronic, f => f.GetProperty("locator").GetString() == "4-1");
        Assert.All(chronic, f => Assert.Contains("chronic-pain", f.GetProperty("conditions").Strings()));
        var widened = await AllFindingsAsync("&condition=pain&includeNarrower=true");
        Assert.Contains(widened, f => f.GetProperty("locator").GetString() == "4-1");
        Assert.Empty(await AllFindingsAsync("&condition=pain"));
        var conclusive = await AllFindingsAsync("&level=conclusive");
        Assert.Equal(["4-3"], conclusive.Select(f => f.GetProperty("locator").GetString()));
        Assert.All(await AllFindingsAsync("&direction=harm"), f => Assert.Equal("harm", f.GetProperty("direction").GetString()));
        Assert.Contains(await AllFindingsAsync("&q=bronchitis"), f => f.GetProperty("locator").GetString() == "7-3a");
        Assert.Equal((await AllFindingsAsync($"&doi={Nasem}")).Count, (await AllFindingsAsync("&doi=https://doi.org/10.17226/24625")).Count);
        Assert.Equal((await AllFindingsAsync()).Count, (await AllFindingsAsync("&direction=&level=")).Count);
        await (await api.Client.GetAsync("/v1/findings?condition=no-such-term")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync("/v1/findings?level=excellent")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync("/v1/findings?cursor=forged")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Admins_add_edit_and_retire_findings_with_revisions_and_preconditions()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var editor = await api.EditorClientAsync();
        var body = new
        {
            synthesis = new { doi = "https://doi.org/10.1000/test." + Guid.NewGuid().ToString("N")[..8], title = "A test review", year = 2024 },
            locator = "Main results: pain",
            statement = "Cannabinoids probably reduce neuropathic pain slightly.",
            conditions = new[] { "neuropathic-pain" },
            cannabinoids = new[] { "cannabinoids" },
            outcome = "pain",
            direction = "benefit",
            level = new { scheme = "grade", value = "low" },
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync("/v1/findings", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.PostAsJsonAsync("/v1/findings", body)).StatusCode);

        var created = await admin.PostAsJsonAsync("/v1/findings", body);
        var finding = await created.JsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("10.1000/test.", finding.GetProperty("synthesis").GetProperty("doi").GetString());
        await (await admin.PostAsJsonAsync("/v1/findings", body)).ProblemAsync(HttpStatusCode.Conflict);
        var url = created.Headers.Location!.ToString();

        await (await admin.SendJsonAsync(HttpMethod.Patch, url, new { note = "x" })).ProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await admin.SendJsonAsync(HttpMethod.Patch, url, new { note = "x" }, "\"7\"")).ProblemAsync(HttpStatusCode.PreconditionFailed);
        var unknown = await (await admin.SendJsonAsync(HttpMethod.Patch, url, new { outcome = "no-such-outcome" }, "\"1\""))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("outcome", out _));
        var edited = await (await admin.SendJsonAsync(HttpMethod.Patch, url, new { level = new { scheme = "grade", value = "moderate" } }, "\"1\""))
            .JsonAsync();
        Assert.Equal(2, edited.GetProperty("version").GetInt32());
        Assert.Equal("moderate", edited.GetProperty("level").GetProperty("value").GetString());

        // an Idempotency-Key sent again with another body is refused, not answered with the first change
        using (var first = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(new { note = "first" }) })
        using (var second = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(new { note = "second" }) })
        {
            foreach (var request in new[] { first, second })
            {
                request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
                request.Headers.Add("Idempotency-Key", "finding-note");
            }
            await (await admin.SendAsync(first)).JsonAsync();
            await (await admin.SendAsync(second)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        }
        await (await admin.SendJsonAsync(HttpMethod.Post, url + "/retire", new { reason = "test" }, "\"3\"")).JsonAsync();
        var history = await (await api.Client.GetAsync(url + "/history")).JsonAsync();
        Assert.Equal(["created", "updated", "updated", "retired"], history.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("change").GetString()));
        Assert.DoesNotContain(await AllFindingsAsync("&condition=neuropathic-pain"), f => f.GetProperty("id").GetGuid() == finding.GetProperty("id").GetGuid());
        Assert.True((await (await api.Client.GetAsync(url)).JsonAsync()).GetProperty("retired").GetBoolean());
    }

    [Theory]
    [InlineData("""{"synthesis":{"doi":"11.1/x","title":"t","year":2020},"locator":"1","statement":"s","cannabinoids":["thc"],"outcome":"pain","direction":"benefit","level":{"scheme":"grade","value":"low"}}""")]
    [InlineData("""{"synthesis":{"doi":"10.1000/x","title":"t","year":2020},"locator":"1","statement":"s","cannabinoids":[],"outcome":"pain","direction":"benefit","level":{"scheme":"grade","value":"low"}}""")]
    [InlineData("""{"synthesis":{"doi":"10.1000/x","title":"t","year":2020},"locator":"1","statement":"s","cannabinoids":["thc"],"outcome":"pain","direction":"benefit","level":{"scheme":"grade","value":"substantial"}}""")]
    [InlineData("""{"synthesis":{"doi":"10.1000/x","title":"t","year":2020},"locator":"1","statement":"s","cannabinoids":[null],"outcome":"pain","direction":"benefit","level":{"scheme":"grade","value":"low"}}""")]
    public async Task Malformed_findings_are_400(string body)
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        await (await admin.PostAsync("/v1/findings", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ProblemAsync(HttpStatusCode.BadRequest);
    }
}
