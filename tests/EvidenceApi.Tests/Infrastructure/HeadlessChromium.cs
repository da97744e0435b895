using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvidenceApi.Tests.Infrastructure;

/// <summary>An error that the page's JavaScript or the DevTools protocol reported.</summary>
public sealed class CdpException(string message) : Exception(message);

/// <summary>
/// Debian's headless Chromium with one page, driven over the DevTools protocol (CDP) on --remote-debugging-pipe:
/// NUL-terminated JSON messages on the browser's file descriptors 3 (in) and 4 (out), here our stdin and stdout pipes.
/// When this process dies without disposing, the pipe closes and Chromium exits by itself.
/// Every call times out instead of hanging; disposing kills the browser's process tree and deletes its profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    // As root on a closed network: no sandbox, no GPU, nothing that phones home; the protocol on a pipe, not a port.
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-pipe",
    ];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly string _profileDir;
    private Stream _toBrowser = Stream.Null;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _replies = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _awaitedEvents = new();
    private readonly ConcurrentQueue<string> _output = new();
    private Task _receiving = Task.CompletedTask;
    private string? _sessionId;
    private int _lastId;

    private HeadlessChromium(Process process, string profileDir) => (_process, _profileDir) = (process, profileDir);

    /// <summary>How long one protocol call, a navigation or a <see cref="WaitForAsync"/> may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Uncaught JavaScript errors of the page, in order.</summary>
    public ConcurrentQueue<string> PageErrors { get; } = new();

    public static async Task<HeadlessChromium> LaunchAsync(string executable = "/usr/bin/chromium", TimeSpan? timeout = null)
    {
        var profileDir = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        // sh hands our stdin and stdout to Chromium as fds 3 and 4, then becomes Chromium (exec: same process id).
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-c", "exec \"$@\" 3<&0 4>&1 0</dev/null 1>&2", "sh", executable },
        };
        foreach (var flag in Flags) start.ArgumentList.Add(flag);
        start.ArgumentList.Add($"--user-data-dir={profileDir}");
        start.ArgumentList.Add("about:blank");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch
        {
            Directory.Delete(profileDir, recursive: true);
            throw;
        }
        var browser = new HeadlessChromium(process, profileDir) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        // Chromium's stderr must be drained, or it blocks once the pipe is full; the tail goes into error messages.
        _process.ErrorDataReceived += (sender, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            while (_output.Count > 20) _output.TryDequeue(out _);
        };
        _process.BeginErrorReadLine();
        _toBrowser = _process.StandardInput.BaseStream;
        _receiving = Task.Run(ReceiveAsync);

        // A page of our own, attached in "flat" mode: its commands go over this pipe, tagged with its session id.
        var target = await SendAsync("Target.createTarget", new() { ["url"] = "about:blank" }, toBrowser: true);
        var attached = await SendAsync("Target.attachToTarget",
            new() { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }, toBrowser: true);
        _sessionId = attached.GetProperty("sessionId").GetString();
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
    }

    private string Output => string.Join('\n', _output);

    /// <summary>Sends one protocol command (to the page, or to the browser) and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, bool toBrowser = false)
    {
        var id = Interlocked.Increment(ref _lastId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (!toBrowser) message["sessionId"] = _sessionId;
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(Timeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token); // one message at a time on the pipe
            try
            {
                await _toBrowser.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(message).Append((byte)0).ToArray(), timeout.Token);
                await _toBrowser.FlushAsync(timeout.Token);
            }
            finally
            {
                _sendLock.Release();
            }
            return await reply.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!_closing.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} got no answer within {Timeout}.");
        }
        catch (IOException)
        {
            throw Gone();
        }
        finally
        {
            _replies.TryRemove(id, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        var fromBrowser = _process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            int count;
            while ((count = await fromBrowser.ReadAsync(buffer, _closing.Token)) > 0)
            {
                for (int start = 0, end; start < count; start = end + 1)
                {
                    end = Array.IndexOf(buffer, (byte)0, start, count - start);
                    message.Write(buffer, start, (end < 0 ? count : end) - start);
                    if (end < 0) break;
                    using (var document = JsonDocument.Parse(message.ToArray())) Dispatch(document.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException) { }
        foreach (var reply in _replies.Values) reply.TrySetException(Gone());
    }

    private CdpException Gone() => _process.WaitForExit(1000)
        ? new CdpException($"Chromium exited with code {_process.ExitCode}:\n{Output}")
        : new CdpException($"Chromium closed the pipe:\n{Output}");

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var id))
        {
            if (!_replies.TryGetValue(id.GetInt32(), out var reply)) return;
            if (message.TryGetProperty("error", out var error)) reply.TrySetException(new CdpException(error.ToString()));
            else reply.TrySetResult(message.GetProperty("result"));
            return;
        }
        var method = message.GetProperty("method").GetString()!;
        var parameters = message.TryGetProperty("params", out var p) ? p : default;
        if (method == "Runtime.exceptionThrown") PageErrors.Enqueue(ErrorText(parameters.GetProperty("exceptionDetails")));
        if (_awaitedEvents.TryRemove(method, out var awaited)) awaited.TrySetResult(parameters);
    }

    private static string ErrorText(JsonElement details) =>
        details.TryGetProperty("exception", out var e) && e.TryGetProperty("description", out var d)
            ? d.GetString()! : details.GetProperty("text").GetString()!;

    /// <summary>Delays every request of the page by <paramref name="latency"/>, as a distant server would.</summary>
    public async Task SlowNetworkAsync(TimeSpan latency)
    {
        await SendAsync("Network.enable");
        await SendAsync("Network.emulateNetworkConditions", new()
        {
            ["offline"] = false,
            ["latency"] = latency.TotalMilliseconds,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = -1,
        });
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        var loaded = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaitedEvents["Page.loadEventFired"] = loaded; // before navigating, so the event cannot be missed
        var result = await SendAsync("Page.navigate", new() { ["url"] = url });
        if (result.TryGetProperty("errorText", out var error)) throw new CdpException($"Could not open {url}: {error}");
        try
        {
            await loaded.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{url} did not finish loading within {Timeout}.");
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page (awaiting it if it is a promise) and returns its value as JSON.</summary>
    public async Task<T?> EvaluateAsync<T>(string expression)
    {
        var result = await SendAsync("Runtime.evaluate",
            new() { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result.TryGetProperty("exceptionDetails", out var details)) throw new CdpException($"{ErrorText(details)}\nin: {expression}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Deserialize<T>(JsonOptions) : default;
    }

    public Task EvaluateAsync(string expression) => EvaluateAsync<JsonElement>(expression);

    /// <summary>Polls a JavaScript condition until it is truthy; one that throws counts as not yet.</summary>
    public async Task WaitForAsync(string condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var clock = Stopwatch.StartNew();
        string lastError = "";
        while (true)
        {
            try
            {
                if (await EvaluateAsync<bool>($"!!({condition})")) return;
            }
            catch (CdpException e)
            {
                lastError = $"\nlast error: {e.Message}";
            }
            if (clock.Elapsed > limit) throw new TimeoutException($"Still not true after {limit}: {condition}{lastError}{await PageStateAsync()}");
            await Task.Delay(50);
        }
    }

    /// <summary>What the page tells its user (its live regions) and the errors it threw, for a failure's message.</summary>
    private async Task<string> PageStateAsync()
    {
        string[]? said = null;
        try
        {
            said = await EvaluateAsync<string[]>(
                "[...document.querySelectorAll('[role=status], [role=alert]')].map(e => e.textContent.trim()).filter(t => t)");
        }
        catch (CdpException) { }
        return $"\npage says: {string.Join(" | ", said ?? [])}\npage errors: {string.Join(" | ", PageErrors)}";
    }

    /// <summary>Waits for the element, scrolls to it and clicks its middle with the mouse, as a person would.</summary>
    public async Task ClickAsync(string selector)
    {
        await WaitForAsync($"document.querySelector({Js(selector)})");
        var point = await EvaluateAsync<double[]>($$"""
            (() => {
              const e = document.querySelector({{Js(selector)}});
              e.scrollIntoView({ block: 'center', inline: 'center' });
              // an inline element broken over lines: the middle of its first line, not of its bounding box
              const r = e.getClientRects()[0] ?? e.getBoundingClientRect();
              return [r.x + r.width / 2, r.y + r.height / 2];
            })()
            """);
        foreach (var type in new[] { "mouseMoved", "mousePressed", "mouseReleased" })
            await SendAsync("Input.dispatchMouseEvent",
                new() { ["type"] = type, ["x"] = point![0], ["y"] = point[1], ["button"] = "left", ["clickCount"] = 1 });
    }

    /// <summary>Focuses the input, selects its content and types <paramref name="text"/> over it (input events fire).</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await WaitForAsync($"document.querySelector({Js(selector)})");
        await EvaluateAsync($"(e => {{ e.focus(); e.select?.(); }})(document.querySelector({Js(selector)}))");
        await SendAsync("Input.insertText", new() { ["text"] = text });
    }

    /// <summary>The element's textContent, or null when there is no such element.</summary>
    public Task<string?> TextAsync(string selector) =>
        EvaluateAsync<string>($"document.querySelector({Js(selector)})?.textContent ?? null");

    /// <summary>A C# string as a JavaScript string literal.</summary>
    public static string Js(string value) => JsonSerializer.Serialize(value);

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException) { } // already gone, or stuck: leave it
        await _receiving;
        _process.Dispose();
        for (var attempt = 1; Directory.Exists(_profileDir); attempt++)
        {
            try
            {
                Directory.Delete(_profileDir, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(100); // a dying helper process may still write into it
            }
        }
    }
}
