using System.Collections.Concurrent;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Bounds the long responses (exports) one instance streams at once: `Limits:MaxConcurrentExports` in all
/// (503 beyond it) and `Limits:MaxConcurrentExportsPerClient` per client address or editor (429 beyond it),
/// so that a few slow readers cannot take every worker and connection from ordinary reads.
/// </summary>
public sealed class ExportSlots(IConfiguration configuration)
{
    public const int RetryAfterSeconds = 5;

    private readonly int _total = configuration.GetValue("Limits:MaxConcurrentExports", 8);
    private readonly int _perClient = configuration.GetValue("Limits:MaxConcurrentExportsPerClient", 2);
    private readonly ConcurrentDictionary<string, int> _byClient = new();
    private int _inUse;

    /// <summary>A slot to release when the export ends, or the problem to answer when none is free.</summary>
    public (IDisposable? Slot, IResult? Refusal) TryTake(HttpContext http)
    {
        var client = http.ClientKey();
        if (_byClient.AddOrUpdate(client, 1, (_, n) => n + 1) > _perClient)
        {
            Release(client);
            return (null, Refuse(http, ProblemKinds.TooManyRequests, "Too many exports at once.",
                $"A client may run {_perClient} exports at once: wait for one to finish."));
        }
        if (Interlocked.Increment(ref _inUse) > _total)
        {
            Interlocked.Decrement(ref _inUse);
            Release(client);
            return (null, Refuse(http, ProblemKinds.Unavailable, "Exports are busy.",
                $"This instance runs {_total} exports at once: try again in {RetryAfterSeconds} s."));
        }
        return (new Slot(this, client), null);
    }

    private void Release(string client)
    {
        if (_byClient.AddOrUpdate(client, 0, (_, n) => n - 1) <= 0) _byClient.TryRemove(new KeyValuePair<string, int>(client, 0));
    }

    private static IResult Refuse(HttpContext http, ProblemKind kind, string title, string detail)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return Problems.Of(kind, detail, title);
    }

    private sealed class Slot(ExportSlots slots, string client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            Interlocked.Decrement(ref slots._inUse);
            slots.Release(client);
        }
    }
}
