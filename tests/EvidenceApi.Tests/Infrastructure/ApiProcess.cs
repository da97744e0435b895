using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EvidenceApi.Tests.Infrastructure;

/// <summary>The API as a real process on a loopback port (real Kestrel, real sockets), with its output kept.</summary>
public sealed class ApiProcess : IDisposable
{
    public Process Process { get; }
    public int Port { get; }
    public HttpClient Client { get; }
    public ConcurrentQueue<string> Output { get; } = new();

    private ApiProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs `EvidenceApi.dll {arguments}` to its end with <paramref name="environment"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command that must succeed; returns its output.</summary>
    public static async Task<string> RunCommandAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(environment, arguments);
        if (exitCode != 0) throw new InvalidOperationException($"EvidenceApi {string.Join(' ', arguments)}: {output}{error}");
        return output;
    }

    /// <summary>Starts the API with <paramref name="environment"/> and waits until /health/ready answers 200.</summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var api = new ApiProcess(Process.Start(StartInfo(environment, "--urls", $"http://127.0.0.1:{port}"))!, port);
        api.Process.OutputDataReceived += (_, e) => { if (e.Data is not null) api.Output.Enqueue(e.Data); };
        api.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) api.Output.Enqueue(e.Data); };
        api.Process.BeginOutputReadLine();
        api.Process.BeginErrorReadLine();

        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await api.Client.GetAsync("/health/ready")).IsSuccessStatusCode) return api;
            }
            catch (HttpRequestException) { }
            if (started.Elapsed > TimeSpan.FromSeconds(60) || api.Process.HasExited)
                throw new TimeoutException(string.Join('\n', api.Output));
            await Task.Delay(200);
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EvidenceApi.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // a command must not pick up a connection string from the test's own environment
        start.Environment.Remove("ConnectionStrings__Evidence");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Client.Dispose();
        Process.Dispose();
    }
}
