using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using EvidenceApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure.Data;

[Collection(LoadCollection.Name)]
public sealed class OutageTests : PrivateServerApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["RateLimiting:Enabled"] = "false" };

    private async Task<HttpClient> EditorAsync()
    {
        await using var db = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await db.OpenConnectionAsync();
        var created = await EditorStore.AddAsync(connection, "outage-" + Guid.NewGuid().ToString("N")[..8], EditorRole.Editor, default);
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created!.Key);
        return client;
    }

    [Fact]
    public async Task Writes_retried_with_idempotency_keys_through_a_database_restart_land_exactly_once()
    {
        var client = Factory.CreateClient();
        var editor = await EditorAsync();
        var seed = (await (await client.GetAsync("/v1/claims?limit=1&sort=position")).JsonAsync()).GetProperty("items")[0];
        var run = Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new ConcurrentBag<(string Effect, Guid Id)>();
        var outageAnswers = new ConcurrentBag<(HttpStatusCode Status, TimeSpan Took, bool RetryAfter)>();
        var databaseDown = false;

        async Task WriteAsync(int n)
        {
            var effect = $"outage {run} write {n}";
            var body = ClaimBody(seed, effect);
            var key = Guid.NewGuid().ToString();
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var watch = Stopwatch.StartNew();
                var response = await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: ("Idempotency-Key", key));
                if (Volatile.Read(ref databaseDown))
                    outageAnswers.Add((response.StatusCode, watch.Elapsed, response.Headers.RetryAfter is not null));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add((effect, (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>()));
                    return;
                }
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            throw new TimeoutException($"write {n} never landed");
        }

        var keepWriting = true;
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var n = w * 100_000; Volatile.Read(ref keepWriting); n++) await WriteAsync(n);
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1));
        await Server.StopAsync();
        Volatile.Write(ref databaseDown, true);

        var watch = Stopwatch.StartNew();
        var read = await client.GetAsync("/v1/claims?limit=5");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"a read took {watch.Elapsed} during the outage");
        await read.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(read.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2));

        await Server.StartAgainAsync();
        var back = Stopwatch.StartNew();
        while ((await client.GetAsync("/v1/claims?limit=1")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(5), "the API did not serve again within 5 s of the database's return");
            await Task.Delay(100);
        }
        Volatile.Write(ref databaseDown, false);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Volatile.Write(ref keepWriting, false);
        await Task.WhenAll(writers);

        Assert.NotEmpty(outageAnswers);
        Assert.All(outageAnswers, a =>
        {
            Assert.True(a.Took < TimeSpan.FromSeconds(5), $"took {a.Took}");
            if (a.Status == HttpStatusCode.ServiceUnavailable) Assert.True(a.RetryAfter);
        });

        Assert.True(acknowledged.Count > 10);
        await using var db = NpgsqlDataSource.Create(ConnectionString);
        await using var command = db.CreateCommand("select effect, count(*) from claims where effect like @run group by effect");
        command.Parameters.AddWithValue("run", $"outage {run} %");
        var stored = new Dictionary<string, long>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored[reader.GetString(0)] = reader.GetInt64(1);
        Assert.Equal(acknowledged.Select(a => a.Effect).Order(), stored.Keys.Order());
        Assert.All(stored.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task The_api_starts_while_the_database_is_down_and_serves_once_it_is_up()
    {
        await Server.StopAsync();
        var starting = Task.Run(() => Factory.CreateClient());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(starting.IsFaulted);
        await Server.StartAgainAsync();
        var client = await starting.WaitAsync(TimeSpan.FromSeconds(60));
        await (await client.GetAsync("/v1/claims?limit=1")).JsonAsync();
    }

    [Fact]
    public async Task While_the_database_is_frozen_every_request_answers_503_within_5_s_and_service_resumes_on_sigcont()
    {
        // a real process: only Kestrel can answer a request whose work is still stuck (the test server waits for the work)
        using var api = await ApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Evidence"] = ConnectionString,
            ["RateLimiting__Enabled"] = "false",
        });
        var client = api.Client;
        using var editor = new HttpClient { BaseAddress = client.BaseAddress };
        editor.DefaultRequestHeaders.Authorization = (await EditorAsync()).DefaultRequestHeaders.Authorization;
        var (claim, etag) = await CreateClaimAsync(editor, client);
        // warm connections in the pool: those are the ones a frozen server strands
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync("/v1/claims?limit=1")));

        await Server.FreezeAsync();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                var requests = new List<(string What, Func<Task<HttpResponseMessage>> Send)>
                {
                    ("health", () => client.GetAsync("/health/ready")),
                    ("patch", () => editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim}", new { effect = "frozen" }, etag,
                        "application/merge-patch+json")),
                    ("export", () => client.GetAsync("/v1/claims/export?format=csv")),
                    ("facets", () => client.GetAsync("/v1/claims/facets?by=status&includeRetired=true&status=cited")),
                };
                requests.AddRange(Enumerable.Range(0, 6).Select(n => ($"list {n}", (Func<Task<HttpResponseMessage>>)(() => client.GetAsync($"/v1/claims?limit={n + 1}")))));
                var answers = await Task.WhenAll(requests.Select(async r =>
                {
                    var watch = Stopwatch.StartNew();
                    var response = await r.Send();
                    return (r.What, response, watch.Elapsed);
                }));
                Assert.All(answers, a =>
                {
                    Assert.True(a.Elapsed < TimeSpan.FromSeconds(5), $"{a.What} took {a.Elapsed} while the database was frozen");
                    Assert.True(a.response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{a.What}: {(int)a.response.StatusCode}");
                    if (a.What != "health") Assert.NotNull(a.response.Headers.RetryAfter);
                });
            }
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await Server.ThawAsync();
        }

        var back = Stopwatch.StartNew();
        while ((await client.GetAsync("/v1/claims?limit=1")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(10), "the API did not serve again within 10 s of SIGCONT");
            await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var patched = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim}", new { effect = "after the thaw" }, etag,
            "application/merge-patch+json");
        Assert.Equal("after the thaw", (await patched.JsonAsync()).GetProperty("effect").GetString());
    }

    [Fact]
    public async Task A_change_whose_commit_the_database_stops_answering_is_503_outcome_unknown()
    {
        using var api = await ApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Evidence"] = ConnectionString,
            ["RateLimiting__Enabled"] = "false",
            ["Database__StatementTimeoutSeconds"] = "2",
        });
        using var editor = new HttpClient { BaseAddress = api.Client.BaseAddress };
        editor.DefaultRequestHeaders.Authorization = (await EditorAsync()).DefaultRequestHeaders.Authorization;
        var (claim, etag) = await CreateClaimAsync(editor, api.Client);

        // a commit that takes 3 s (a deferred trigger), during which the server freezes
        await using (var db = NpgsqlDataSource.Create(ConnectionString))
        await using (var stall = db.CreateCommand("""
            create function stall_commit() returns trigger language plpgsql as $$
            begin if new.section like 'COMMIT-STALL%' then perform pg_sleep(3); end if; return null; end $$;
            create constraint trigger stall_commit after update on claims deferrable initially deferred
                for each row execute function stall_commit();
            """))
            await stall.ExecuteNonQueryAsync();

        var patch = editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim}", new { section = "COMMIT-STALL" }, etag, "application/merge-patch+json");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Server.FreezeAsync();
        HttpResponseMessage response;
        try
        {
            response = await patch.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await Server.ThawAsync();
        }
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("/problems/outcome-unknown", problem.GetProperty("type").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static async Task<(Guid Id, string ETag)> CreateClaimAsync(HttpClient editor, HttpClient reader)
    {
        var seed = (await (await reader.GetAsync("/v1/claims?limit=1&sort=position")).JsonAsync()).GetProperty("items")[0];
        var response = await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", ClaimBody(seed, "before the freeze"));
        var created = await response.JsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    private static JsonObject ClaimBody(JsonElement seed, string effect) => new()
    {
        ["sourceId"] = seed.GetProperty("source").GetProperty("id").GetGuid(),
        ["quote"] = seed.GetProperty("quote").GetString(),
        ["position"] = JsonNode.Parse(seed.GetProperty("position").GetRawText()),
        ["section"] = "Introduction",
        ["conditions"] = new JsonArray("chronic-pain"),
        ["cannabinoids"] = new JsonArray("cbd"),
        ["effect"] = effect,
        ["outcome"] = "pain",
        ["direction"] = "benefit",
        ["claimedStrength"] = "asserted",
    };
}
