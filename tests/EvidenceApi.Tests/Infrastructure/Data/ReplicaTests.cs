using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure.Data;

/// <summary>A primary and a streaming-replication standby on loopback, the API reading from the standby.</summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private PrivatePostgres _primary = null!;
    private PrivatePostgres _standby = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _primary = await PrivatePostgres.StartAsync();
        _standby = await PrivatePostgres.StandbyOfAsync(_primary);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Evidence", _primary.ConnectionString);
            builder.UseSetting("Database:Replicas:0", _standby.ConnectionString);
            builder.UseSetting("Database:ReplicaCheckSeconds", "0.2");
            builder.UseSetting("RateLimiting:Enabled", "false");
        });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _standby.DisposeAsync();
        await _primary.DisposeAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(100);
        }
    }

    private static string Role(HttpResponseMessage response) => response.Headers.GetValues("Database-Role").Single();

    private async Task StandbyAsync(string sql)
    {
        await using var standby = new NpgsqlConnection(_standby.ConnectionString);
        await standby.ExecuteAsync(sql);
    }

    [Fact]
    public async Task Anonymous_reads_use_the_standby_editors_read_their_writes_and_reads_survive_a_stopped_standby()
    {
        var anonymous = _factory.CreateClient();
        await WaitForAsync(async () => (await (await anonymous.GetAsync("/health/ready")).Content.ReadAsStringAsync()).Contains("replica-0: in use"),
            "the standby to be in use");
        await WaitForAsync(async () => (await anonymous.GetAsync("/v1/claims?limit=1")).Headers.GetValues("Database-Role").Single() == "replica",
            "the standby to have replayed the seed");

        CreatedEditorResponse created;
        await using (var connection = new NpgsqlConnection(_primary.ConnectionString))
        {
            await connection.OpenAsync();
            created = (await EditorStore.AddAsync(connection, $"editor-{Guid.NewGuid():N}", EditorRole.Editor, default))!;
        }
        var editor = _factory.CreateClient();
        editor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Key);

        // the standby stops replaying: what commits now is on the primary only
        await StandbyAsync("select pg_wal_replay_pause()");
        var seed = (await (await editor.GetAsync("/v1/claims?limit=1&sort=position")).JsonAsync()).GetProperty("items")[0];
        var body = new JsonObject
        {
            ["sourceId"] = seed.GetProperty("source").GetProperty("id").GetGuid(),
            ["quote"] = seed.GetProperty("quote").GetString(),
            ["position"] = JsonNode.Parse(seed.GetProperty("position").GetRawText()),
            ["conditions"] = new JsonArray("chronic-pain"),
            ["cannabinoids"] = new JsonArray("thc"),
            ["effect"] = "eases pain",
            ["outcome"] = "pain",
            ["direction"] = "benefit",
            ["claimedStrength"] = "suggested",
        };
        var write = await editor.PostAsJsonAsync("/v1/claims", body);
        await write.JsonAsync(HttpStatusCode.Created);
        var token = write.Headers.GetValues("Consistency-Token").Single();
        var url = write.Headers.Location!.ToString();

        // anonymous: the standby answers, and has not got the claim yet
        var stale = await anonymous.GetAsync(url);
        Assert.Equal("replica", Role(stale));
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        // the editor reads the primary; so does an anonymous read that presents the write's token
        var own = await editor.GetAsync(url);
        Assert.Equal(("primary", HttpStatusCode.OK), (Role(own), own.StatusCode));
        using (var request = new HttpRequestMessage(HttpMethod.Get, url))
        {
            request.Headers.Add("Consistency-Token", token);
            var consistent = await anonymous.SendAsync(request);
            Assert.Equal(("primary", HttpStatusCode.OK), (Role(consistent), consistent.StatusCode));
        }

        // once the standby has replayed the write, the token is served by it
        await StandbyAsync("select pg_wal_replay_resume()");
        await WaitForAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Consistency-Token", token);
            var response = await anonymous.SendAsync(request);
            return Role(response) == "replica" && response.StatusCode == HttpStatusCode.OK;
        }, "the standby to serve the token once replayed");

        // the standby goes away: reads keep working, from the primary, and readiness says so
        await _standby.StopAsync();
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/claims?limit=5")).StatusCode);
        Assert.Equal("primary", Role(await anonymous.GetAsync("/v1/claims?limit=5")));
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("replica-0: down", await ready.Content.ReadAsStringAsync());
    }
}
