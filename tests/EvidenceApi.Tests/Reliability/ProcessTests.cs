using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;
using Npgsql;

namespace EvidenceApi.Tests.Reliability;

/// <summary>The API as a real process on loopback: shutdown on SIGTERM, and what it writes to its logs.</summary>
public sealed class ProcessTests : IAsyncLifetime
{
    private Process _api = null!;
    private readonly ConcurrentQueue<string> _output = new();
    private string _connectionString = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EvidenceApi.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ConnectionStrings__Evidence"] = _connectionString;
        start.Environment["RateLimiting__Enabled"] = "false";
        start.Environment["Shutdown__GracePeriodSeconds"] = "20";
        _api = Process.Start(start)!;
        _api.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _api.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _api.BeginOutputReadLine();
        _api.BeginErrorReadLine();

        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await _client.GetAsync("/health/ready")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            if (started.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException(string.Join('\n', _output));
            await Task.Delay(200);
        }
    }

    public Task DisposeAsync()
    {
        if (!_api.HasExited) _api.Kill(entireProcessTree: true);
        _client.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> EditorKeyAsync()
    {
        await using var db = NpgsqlDataSource.Create(_connectionString);
        await using var connection = await db.OpenConnectionAsync();
        return (await EditorStore.AddAsync(connection, "proc-" + Guid.NewGuid().ToString("N")[..8], EditorRole.Editor, default))!.Key;
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
}
