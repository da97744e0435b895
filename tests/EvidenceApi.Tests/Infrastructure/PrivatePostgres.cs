using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EvidenceApi.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own that it can stop and start, from the binaries scripts/test.sh
/// installs (EVIDENCE_PG_BIN). As root, the server runs as the postgres user, which initdb requires.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    public int Port { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    private PrivatePostgres(string bin, string folder, int port) => (_bin, _folder, Port) = (bin, folder, port);

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("EVIDENCE_PG_BIN")
                  ?? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderBy(d => d).LastOrDefault()
                  ?? throw new InvalidOperationException("No PostgreSQL binaries: run the suite through scripts/test.sh.");
        var folder = Directory.CreateTempSubdirectory("evidenceapi-private-pg-").FullName;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var server = new PrivatePostgres(bin, folder, port);
        if (Environment.UserName == "root")
        {
            await RunAsync("chmod", "755", folder);
            await RunAsync("chown", "postgres:", folder);
        }
        await server.AsOwnerAsync("initdb", "-D", Path.Combine(folder, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A streaming-replication standby of <paramref name="primary"/> (`pg_basebackup -R`), started on a port of its own.</summary>
    public static async Task<PrivatePostgres> StandbyOfAsync(PrivatePostgres primary)
    {
        var folder = Directory.CreateTempSubdirectory("evidenceapi-standby-pg-").FullName;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var standby = new PrivatePostgres(primary._bin, folder, port);
        if (Environment.UserName == "root")
        {
            await RunAsync("chmod", "755", folder);
            await RunAsync("chown", "postgres:", folder);
        }
        await standby.AsOwnerAsync("pg_basebackup", "-h", "127.0.0.1", "-p", primary.Port.ToString(), "-U", "postgres",
            "-D", Path.Combine(folder, "data"), "-R", "-X", "stream", "-c", "fast");
        await standby.StartAgainAsync();
        return standby;
    }

    public Task StartAgainAsync() => AsOwnerAsync("pg_ctl", "-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "postgres.log"),
        "-w", "-t", "60", "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start");

    /// <summary>Stops every process of the server with SIGSTOP: connections stay open and nothing answers, as with a hung host.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var postmaster = (await File.ReadAllLinesAsync(Path.Combine(_folder, "data", "postmaster.pid")))[0].Trim();
        // children first on STOP, so the postmaster cannot start new ones; the order does not matter on CONT
        try { await RunAsync("pkill", $"-{signal}", "-P", postmaster); } catch (InvalidOperationException) { /* no children */ }
        await RunAsync("kill", $"-{signal}", postmaster);
    }

    public Task StopAsync() => AsOwnerAsync("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop");

    private Task AsOwnerAsync(string tool, params string[] args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
        : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
