using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

/// <summary>
/// Slow readers of exports against the API as a real process (real sockets, so a reader that does not read really
/// holds the server back) with a pool of 4 connections, over 20,000 claims (a CSV of ~20 MB, far beyond what the
/// socket buffers hold).
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SlowClientTests : IAsyncLifetime
{
    private const string Export = "/v1/claims/export?format=csv&includeRetired=true";
    private ApiProcess _api = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync() + ";Maximum Pool Size=4";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Evidence"] = connectionString,
            ["RateLimiting__Enabled"] = "false",
            ["Limits__MaxConcurrentExports"] = "6",
            ["Limits__MaxConcurrentExportsPerClient"] = "4",
            ["Limits__ExportStallSeconds"] = "8",
        };
        await ApiProcess.RunCommandAsync(environment, "seed-synthetic", "--claims", "20000", "--seed", "7");
        _api = await ApiProcess.StartAsync(environment);
    }

    public Task DisposeAsync()
    {
        _api.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client from <paramref name="address"/> that asks for the export and then reads 512 bytes every half second
    /// (or, <paramref name="trickle"/> false, nothing more at all).</summary>
    private sealed class SlowReader : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        private readonly CancellationTokenSource _stop = new();
        public string Head { get; private set; } = "";

        public static async Task<SlowReader> StartAsync(int port, string address, bool trickle = true)
        {
            var reader = new SlowReader();
            reader._socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await reader._socket.ConnectAsync(IPAddress.Loopback, port);
            await reader._socket.SendAsync(Encoding.ASCII.GetBytes($"GET {Export} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var buffer = new byte[512];
            var read = await reader._socket.ReceiveAsync(buffer);
            reader.Head = Encoding.ASCII.GetString(buffer, 0, read);
            if (trickle) _ = reader.TrickleAsync();
            return reader;
        }

        private async Task TrickleAsync()
        {
            var buffer = new byte[512];
            try
            {
                while (!_stop.IsCancellationRequested && await _socket.ReceiveAsync(buffer, _stop.Token) > 0)
                    await Task.Delay(500, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        }

        public int Status => int.Parse(Head.Split(' ')[1]);

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
        }
    }

    [Fact]
    public async Task Slow_export_readers_are_bounded_and_cannot_starve_ordinary_reads_or_readiness()
    {
        var readers = new List<SlowReader>();
        try
        {
            for (var i = 0; i < 4; i++) readers.Add(await SlowReader.StartAsync(_api.Port, "127.0.0.1"));
            Assert.All(readers, r => Assert.Equal(200, r.Status));

            // a fifth export from the same client is refused; the instance still has room for another client
            using (var fifth = await SlowReader.StartAsync(_api.Port, "127.0.0.1"))
            {
                Assert.Equal(429, fifth.Status);
                Assert.Contains("Retry-After:", fifth.Head, StringComparison.OrdinalIgnoreCase);
            }
            for (var i = 0; i < 2; i++) readers.Add(await SlowReader.StartAsync(_api.Port, "127.0.0.2"));
            Assert.All(readers, r => Assert.Equal(200, r.Status));
            using (var seventh = await SlowReader.StartAsync(_api.Port, "127.0.0.2"))
            {
                Assert.Equal(503, seventh.Status);
                Assert.Contains("Retry-After:", seventh.Head, StringComparison.OrdinalIgnoreCase);
            }

            // six exports stalled by their readers, a pool of four connections: ordinary reads still answer at once
            await Task.Delay(TimeSpan.FromSeconds(2));
            for (var round = 0; round < 5; round++)
                foreach (var path in new[] { "/v1/claims?limit=1", "/v1/conditions", "/health/ready", "/v1/claims/facets?by=status&status=cited" })
                {
                    var watch = Stopwatch.StartNew();
                    var response = await _api.Client.GetAsync(path);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{path} took {watch.Elapsed} with six slow exports open");
                }
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }

        // once the readers are gone their slots are free again
        var freed = Stopwatch.StartNew();
        while (true)
        {
            using var again = await SlowReader.StartAsync(_api.Port, "127.0.0.1");
            if (again.Status == 200) break;
            Assert.True(freed.Elapsed < TimeSpan.FromSeconds(15), $"export slots were not released: {again.Status}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Readers_that_stop_reading_lose_their_exports_and_the_slots_come_back()
    {
        var readers = new List<SlowReader>();
        try
        {
            for (var i = 0; i < 4; i++) readers.Add(await SlowReader.StartAsync(_api.Port, "127.0.0.3", trickle: false));
            for (var i = 0; i < 2; i++) readers.Add(await SlowReader.StartAsync(_api.Port, "127.0.0.4", trickle: false));
            Assert.All(readers, r => Assert.Equal(200, r.Status));
            using (var full = await SlowReader.StartAsync(_api.Port, "127.0.0.5")) Assert.Equal(503, full.Status);

            // the sockets stay open and never read: the stall limit (8 s here), not the readers, frees the slots
            var freed = Stopwatch.StartNew();
            while (true)
            {
                using var again = await SlowReader.StartAsync(_api.Port, "127.0.0.5");
                if (again.Status == 200) break;
                Assert.True(freed.Elapsed < TimeSpan.FromSeconds(25), $"stalled exports still hold the slots after {freed.Elapsed}");
                await Task.Delay(500);
            }
            Assert.True(freed.Elapsed > TimeSpan.FromSeconds(4), $"slots came back after {freed.Elapsed}, before the stall limit");
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
    }
}
