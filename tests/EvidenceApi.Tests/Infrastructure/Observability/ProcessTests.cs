using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure.Observability;

/// <summary>The API as a real process on loopback: shutdown on SIGTERM, and what it writes to its logs.</summary>
public sealed class ProcessTests : IAsyncLifetime
{
    private ApiProcess _process = null!;
    private Process _api = null!;
    private ConcurrentQueue<string> _output = null!;
    private string _connectionString = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        _process = await ApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Evidence"] = _connectionString,
            ["RateLimiting__Enabled"] = "false",
            ["Shutdown__GracePeriodSeconds"] = "20",
        });
        (_api, _output, _client) = (_process.Process, _process.Output, _process.Client);
    }

    public Task DisposeAsync()
    {
        _process.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> EditorKeyAsync()
    {
        await using var db = NpgsqlDataSource.Create(_connectionString);
        await using var connection = await db.OpenConnectionAsync();
        return (await EditorStore.AddAsync(connection, "proc-" + Guid.NewGuid().ToString("N")[..8], EditorRole.Editor, default))!.Key!;
    }

    [Fact]
    public async Task On_sigterm_an_in_flight_write_completes_and_the_process_exits_0()
    {
        var key = await EditorKeyAsync();
        var page = await (await _client.GetAsync("/v1/claims?limit=1")).JsonAsync();
        var id = page.GetProperty("items")[0].GetProperty("id").GetGuid();

        // Hold the claim's row so that the PATCH is still running when SIGTERM arrives.
        await using var db = NpgsqlDataSource.Create(_connectionString);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"select 1 from claims where id = '{id}' for update", connection, transaction))
            await lockRow.ExecuteScalarAsync();

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/claims/{id}")
        {
            Content = new StringContent("{\"effect\": \"written during shutdown\"}", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var inFlight = _client.SendAsync(request);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(inFlight.IsCompleted);

        using (var kill = Process.Start("kill", ["-TERM", _api.Id.ToString()])) await kill.WaitForExitAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(_api.HasExited);
        await transaction.RollbackAsync();

        var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("written during shutdown", (await response.JsonAsync()).GetProperty("effect").GetString());
        await _api.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, _api.ExitCode);
    }

    [Fact]
    public async Task Logs_are_json_with_the_trace_id_of_problem_responses_and_never_the_key()
    {
        var key = await EditorKeyAsync();
        var problem = await (await _client.GetAsync("/v1/claims/not-a-uuid")).ProblemAsync(HttpStatusCode.BadRequest);
        var traceId = problem.GetProperty("traceId").GetString()!.Split('-')[1];
        var write = new HttpRequestMessage(HttpMethod.Post, "/v1/claims") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        write.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await (await _client.SendAsync(write)).ProblemAsync(HttpStatusCode.BadRequest);
        var response = await _client.GetAsync("/v1/claims?limit=1");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(response.Headers.Contains("Server"));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var lines = _output.ToList();
        var json = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(json);
        Assert.Contains(json, l => l.GetRawText().Contains(traceId));
        Assert.Contains(lines, l => l.Contains("Authorization") && l.Contains("[Redacted]"));
        Assert.DoesNotContain(lines, l => l.Contains(key) || l.Contains(key[37..]));
    }

    [Fact]
    public async Task A_key_in_the_query_string_or_path_is_redacted_from_the_log()
    {
        var key = await EditorKeyAsync();
        await _client.GetAsync($"/v1/claims?limit=1&access_token={Uri.EscapeDataString(key)}");
        await _client.GetAsync($"/v1/claims?limit=1&x={Uri.EscapeDataString(key)}&apiKey=hunter2secret");
        await _client.GetAsync($"/v1/claims/{Uri.EscapeDataString(key)}");
        await _client.GetAsync($"/v1/claims?q=%65{Uri.EscapeDataString(key[1..])}&bearer=hunter2secret");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var lines = _output.ToList();
        Assert.Contains(lines, l => l.Contains("access_token=[Redacted]"));
        var leaks = lines.Where(l => l.Contains(key[37..]) || l.Contains("hunter2secret")).ToList();
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }
}
