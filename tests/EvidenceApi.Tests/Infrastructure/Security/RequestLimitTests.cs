using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using EvidenceApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure.Security;

/// <summary>
/// Rate limits run before authentication and before any database work, bad keys are remembered, health is never
/// limited, and a statement that runs past its budget is a 503 naming the limit. A private server the test can stop
/// shows which requests touch the database.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class RequestLimitTests : PrivateServerApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimiting:AnonymousPermitLimit"] = "3",
        ["RateLimiting:EditorPermitLimit"] = "5",
        ["RateLimiting:WindowSeconds"] = "600",
    };

    private HttpClient WithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static string FakeKey() => "evk_" + Guid.NewGuid().ToString("N") + "_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

    [Fact]
    public async Task Requests_over_the_limit_and_repeated_bad_keys_cost_no_database_work_and_health_is_never_limited()
    {
        var known = FakeKey();
        // a well-formed key nobody holds: refused once by the database, then from memory
        await (await WithKey(known).GetAsync("/v1/editors")).ProblemAsync(HttpStatusCode.Unauthorized);

        await Server.StopAsync();
        // the database is gone: a remembered bad key is still a plain 401, not a 503
        await (await WithKey(known).GetAsync("/v1/editors")).ProblemAsync(HttpStatusCode.Unauthorized);
        // new fake keys need the database (503) until the address has spent its keyed budget; then 429 without asking it
        var keyed = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) keyed.Add((await WithKey(FakeKey()).GetAsync("/v1/editors")).StatusCode);
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], keyed);
        var limited = await WithKey(FakeKey()).GetAsync("/v1/editors");
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);

        // anonymous requests have their own budget, spent the same way
        var client = Factory.CreateClient();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/v1/claims?limit=1")).StatusCode);
        await (await client.GetAsync("/v1/claims?limit=1")).ProblemAsync(HttpStatusCode.TooManyRequests);

        // a load balancer polling health is never limited
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.NotNull(ready.Headers.RetryAfter);
        }
        await Server.StartAgainAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("2", "/v1/claims?limit=2&sort=-updatedAt", false, "Database:StatementTimeoutSeconds", 2)]
    [InlineData("5", "/v1/claims?limit=2&sort=-updatedAt", false, "Limits:AnonymousRequestSeconds", 3)]
    [InlineData("5", "/v1/claims?limit=2&sort=-updatedAt", true, "Limits:EditorRequestSeconds", 4)]
    public async Task Work_past_its_time_budget_is_503_naming_the_limit_and_is_cancelled(string statementSeconds, string url, bool editor,
        string limit, int seconds)
    {
        var factory = Factory.WithWebHostBuilder(b => b.UseSetting("Database:StatementTimeoutSeconds", statementSeconds));
        var client = factory.CreateClient();
        if (editor)
        {
            await using var keys = NpgsqlDataSource.Create(ConnectionString);
            await using var keyConnection = await keys.OpenConnectionAsync();
            await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync();
            var created = await EvidenceApi.Editors.EditorStore.AddAsync(keyConnection, "budget-" + Guid.NewGuid().ToString("N")[..8],
                EvidenceApi.Editors.EditorRole.Editor, default);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created!.Key);
        }
        await (await client.GetAsync("/v1/claims?limit=1")).JsonAsync();

        // Another session holds the claims table, so every read of it waits: the first budget to run out ends the wait.
        await using var db = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("lock table claims in access exclusive mode", connection, transaction))
            await lockTable.ExecuteNonQueryAsync();

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync(url);
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(seconds - 0.2), $"answered after {watch.Elapsed}, before its budget of {seconds} s");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("/problems/out-of-time", problem.GetProperty("type").GetString());
        Assert.Equal(limit, problem.GetProperty("limit").GetString());

        // the statement was cancelled on the server, not left waiting for the lock
        await using (var waiting = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%from claims c%'", connection, transaction))
            Assert.Equal(0L, await waiting.ExecuteScalarAsync());
        await transaction.RollbackAsync();

        await (await client.GetAsync("/v1/claims?limit=2&sort=-updatedAt")).JsonAsync();
        await factory.DisposeAsync();
    }
}
