using System.Collections.Concurrent;
using System.Net;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class ConcurrencyAndHistoryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Concurrent_patches_never_lose_an_update()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}";
        var successes = new ConcurrentBag<(int Version, string Effect)>();
        var stale = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(worker => Task.Run(async () =>
        {
            for (var attempt = 0; attempt < 8; attempt++)
            {
                var current = await api.Client.GetAsync(url);
                var etag = current.Headers.ETag!.Tag;
                var effect = $"worker {worker} attempt {attempt}";
                var response = await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect }, etag);
                if (response.StatusCode == HttpStatusCode.OK)
                    successes.Add(((await response.JsonAsync()).GetProperty("version").GetInt32(), effect));
                else
                {
                    await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
                    Interlocked.Increment(ref stale);
                }
            }
        })));

        var history = await (await api.Client.GetAsync($"{url}/history?limit=200")).JsonAsync();
        var revisions = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(successes.Count + 1, revisions.Count);
        Assert.Equal(Enumerable.Range(1, revisions.Count), revisions.Select(r => r.GetProperty("version").GetInt32()));
        Assert.Equal(successes.Count, successes.Select(s => s.Version).Distinct().Count());
        Assert.Equal(12 * 8, successes.Count + stale);

        var last = successes.MaxBy(s => s.Version);
        var final = await (await api.Client.GetAsync(url)).JsonAsync();
        Assert.Equal(last.Effect, final.GetProperty("effect").GetString());
        Assert.Equal(last.Version, final.GetProperty("version").GetInt32());
        Assert.Equal(last.Effect, revisions[^1].GetProperty("claim").GetProperty("effect").GetString());
    }

    [Fact]
    public async Task History_records_every_kind_of_change_with_its_editor_in_order()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "url", identifier = "https://example.org/trial", title = "A trial", year = 2019, stance = "refutes" }, "\"1\"")).JsonAsync(HttpStatusCode.Created);
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "moderate" }, "\"2\"")).JsonAsync();
        var flag = await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "contradicted" }, "\"3\"")).JsonAsync(HttpStatusCode.Created);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/flags/{flag.GetProperty("id").GetGuid()}/resolve", new { resolution = "fixed" }, "\"4\"")).JsonAsync();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { section = "Conclusion" }, "\"5\"")).JsonAsync();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "merged" }, "\"6\"")).JsonAsync();

        var page1 = await (await api.Client.GetAsync($"/v1/claims/{id}/history?limit=4")).JsonAsync();
        var page2 = await (await api.Client.GetAsync($"/v1/claims/{id}/history?limit=4&cursor={page1.GetProperty("nextCursor").GetString()}")).JsonAsync();
        var revisions = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(["created", "cited", "graded", "flagged", "flag-resolved", "updated", "retired"],
            revisions.Select(r => r.GetProperty("change").GetString()));
        Assert.All(revisions, r => Assert.StartsWith("editor-", r.GetProperty("editor").GetString()));
        Assert.Equal("flagged", revisions[3].GetProperty("claim").GetProperty("status").GetString());
        Assert.Equal("moderate", revisions[2].GetProperty("claim").GetProperty("evidenceLevel").GetString());
        Assert.False(revisions[2].GetProperty("claim").GetProperty("overclaim").GetBoolean());
        await (await api.Client.GetAsync($"/v1/claims/{id}/history?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
