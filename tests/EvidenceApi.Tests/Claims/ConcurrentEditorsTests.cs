using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

[Collection(LoadCollection.Name)]
public sealed class ConcurrentEditorsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("EVIDENCE_LOAD_SECONDS"), out var s) ? s : 30);

    [Fact]
    public async Task Thirty_two_editors_racing_on_four_claims_lose_nothing_and_leave_no_trace_of_refused_changes()
    {
        var setup = await api.EditorClientAsync();
        var claims = new List<Guid>();
        for (var i = 0; i < 4; i++) claims.Add((await api.CreateClaimAsync(setup)).Claim.GetProperty("id").GetGuid());

        var acknowledged = new ConcurrentDictionary<(Guid Claim, int Version), string>();
        var refused = 0;
        var editors = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => api.EditorClientAsync()));
        var deadline = DateTime.UtcNow + Duration;

        await Task.WhenAll(editors.Select((editor, worker) => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var n = 0; DateTime.UtcNow < deadline; n++)
            {
                var claim = claims[random.Next(claims.Count)];
                var current = await api.Client.GetAsync($"/v1/claims/{claim}");
                // on two cores 32 racing editors overload the machine by design: a read past its deadline is retried
                if (current.StatusCode == HttpStatusCode.ServiceUnavailable && current.Headers.RetryAfter is not null) continue;
                Assert.True(current.IsSuccessStatusCode, $"{(int)current.StatusCode} {await current.Content.ReadAsStringAsync()}");
                var etag = current.Headers.ETag!.Tag;
                var state = await current.JsonAsync();
                HttpResponseMessage response;
                string action;
                switch (random.Next(4))
                {
                    case 0:
                        action = "updated";
                        response = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim}", new { effect = $"edit {worker}.{n}" }, etag);
                        break;
                    case 1:
                        action = "cited";
                        response = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claim}/citations",
                            new { kind = "pmid", identifier = $"{worker + 1}{n:D5}", title = "t", year = 2020, stance = "supports" }, etag);
                        break;
                    case 2 when state.GetProperty("openFlags").GetInt32() > 0:
                        action = "flag-resolved";
                        var open = await (await api.Client.GetAsync($"/v1/flags?claim={claim}&state=open&limit=1")).JsonAsync();
                        if (open.GetProperty("items").GetArrayLength() == 0) continue;
                        response = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/flags/{open.GetProperty("items")[0].GetProperty("id").GetGuid()}/resolve",
                            new { resolution = "dismissed" }, etag);
                        break;
                    default:
                        action = "flagged";
                        response = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claim}/flags", new { reason = "unsupported" }, etag);
                        break;
                }

                if (response.IsSuccessStatusCode)
                {
                    var version = response.Headers.ETag?.Tag ?? response.Headers.GetValues("Claim-ETag").Single();
                    Assert.True(acknowledged.TryAdd((claim, int.Parse(version.Trim('"'))), action), $"version {version} acknowledged twice");
                }
                else
                {
                    // a stale ETag, a flag another editor resolved first, or (overloaded) a change past its deadline, which
                    // is answered 503 only before it commits: all must leave no trace, as the checks below prove
                    Assert.Contains(response.StatusCode, new[] { HttpStatusCode.PreconditionFailed, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable });
                    Interlocked.Increment(ref refused);
                }
            }
        })));

        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} changes were made");
        Assert.True(refused > 0);
        foreach (var claim in claims)
        {
            var revisions = new List<JsonElement>();
            string? cursor = null;
            do
            {
                var page = await (await api.Client.GetAsync($"/v1/claims/{claim}/history?limit=200" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
                revisions.AddRange(page.GetProperty("items").EnumerateArray());
                cursor = page.GetProperty("nextCursor").GetString();
            } while (cursor is not null);

            var versions = revisions.Select(r => r.GetProperty("version").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count), versions);
            var acked = acknowledged.Where(a => a.Key.Claim == claim).ToDictionary(a => a.Key.Version, a => a.Value);
            Assert.Equal(versions.Skip(1), acked.Keys.Order());
            Assert.All(revisions.Skip(1), r => Assert.Equal(acked[r.GetProperty("version").GetInt32()], r.GetProperty("change").GetString()));

            var final = await (await api.Client.GetAsync($"/v1/claims/{claim}")).JsonAsync();
            Assert.Equal(revisions[^1].GetProperty("claim").GetRawText(), final.GetRawText());
            await using var db = api.DataSource();
            await using var counts = db.CreateCommand($"""
                select (select count(*) from citations where claim_id = '{claim}' and removed_at is null)::int
                     = (select citation_count from claims where id = '{claim}')
                   and (select count(*) from flags where claim_id = '{claim}' and resolution is null)::int
                     = (select open_flag_count from claims where id = '{claim}')
                """);
            Assert.True((bool)(await counts.ExecuteScalarAsync())!);
        }
    }
}
