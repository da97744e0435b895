using Npgsql;

namespace EvidenceApi.Infrastructure;

/// <summary>A deadline of its own for an endpoint whose work grows with what it is sent (within its body limit).</summary>
public sealed record RequestDeadline(double Seconds);

/// <summary>
/// Every request has a deadline to begin its answer, database work included: `Limits:AnonymousRequestSeconds`
/// (default 3) without an `Authorization` header, `Limits:EditorRequestSeconds` (default 4) with one. When a read's
/// deadline passes, its cancellation token fires, which cancels its statements on the server. If the request still
/// has not ended half a second later (a hung server does not answer Npgsql's cancel request either), the client gets
/// its 503 anyway and the stuck work is left to end on its statement timeout; its later writes to the response fail.
/// A change is never cancelled (that could land between its commit and its answer); it is answered 503 only if it
/// has not begun to commit, and then it can no longer commit (<see cref="CommitUnlessAnsweredAsync"/>), so a 503
/// always means nothing was changed. A response that has begun (an export) is no longer cut by the deadline; exports
/// have limits of their own.
/// </summary>
public static class RequestDeadlines
{
    public const int RetryAfterSeconds = 2;
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    public static TimeSpan Budget(IConfiguration configuration, HttpContext http) =>
        TimeSpan.FromSeconds(http.GetEndpoint()?.Metadata.GetMetadata<RequestDeadline>()?.Seconds
            ?? (http.Request.Headers.Authorization.Count > 0
                ? configuration.GetValue("Limits:EditorRequestSeconds", 4.0)
                : configuration.GetValue("Limits:AnonymousRequestSeconds", 3.0)));

    public static IApplicationBuilder UseRequestDeadlines(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        return app.Use(async (http, next) =>
        {
            var budget = Budget(configuration, http);
            var race = new AnswerRace();
            http.Features.Set(race);
            var clientAborted = http.RequestAborted;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
            http.RequestAborted = deadline.Token;

            var work = next(http);
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
            var expired = false;
            var first = await Task.WhenAny(work, Task.Delay(budget, patience.Token));
            if (first != work && !clientAborted.IsCancellationRequested)
            {
                if (!http.Response.HasStarted && HttpMethods.IsGet(http.Request.Method))
                {
                    expired = true;
                    // Npgsql sends its cancel request from inside Cancel: do not wait here for it
                    _ = deadline.CancelAsync();
                }
                first = await Task.WhenAny(work, Task.Delay(Grace, patience.Token));
            }
            await patience.CancelAsync();
            if (first != work && !http.Response.HasStarted && !clientAborted.IsCancellationRequested && race.TryAnswerFirst())
            {
                // The work did not stop when asked. Answer now; the work's own writes after this fail, and are ignored.
                http.RequestAborted = clientAborted;
                await WriteExpiredAsync(http, budget);
                await http.Response.CompleteAsync();
                try { await work; } catch (Exception) { /* abandoned: it was answered already */ }
                return;
            }
            try
            {
                await work;
            }
            catch (Exception) when (expired && !clientAborted.IsCancellationRequested && !http.Response.HasStarted)
            {
                http.RequestAborted = clientAborted;
                await WriteExpiredAsync(http, budget);
            }
        });
    }

    /// <summary>Commits the change of a request unless its deadline has answered it already (then it throws, and the
    /// transaction rolls back), so that a 503 for a change always means nothing was changed.</summary>
    public static async Task CommitUnlessAnsweredAsync(this NpgsqlTransaction transaction, HttpContext http, CancellationToken ct)
    {
        if (http.Features.Get<AnswerRace>() is { } race && !race.TryCommitFirst())
            throw new OperationCanceledException("The request's deadline answered it before it committed; its change is rolled back.");
        try
        {
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (e is not PostgresException)
        {
            // the server may have committed before it stopped answering: say so, rather than "nothing was changed"
            throw new CommitOutcomeUnknownException(e);
        }
    }

    /// <summary>Decides once whether a request's change commits or its deadline answers for it.</summary>
    private sealed class AnswerRace
    {
        private const int Running = 0, Committing = 1, Answered = 2;
        private int _state;

        public bool TryCommitFirst() => Interlocked.CompareExchange(ref _state, Committing, Running) == Running;

        public bool TryAnswerFirst() => Interlocked.CompareExchange(ref _state, Answered, Running) == Running;
    }

    private static async Task WriteExpiredAsync(HttpContext http, TimeSpan budget)
    {
        var anonymous = http.Request.Headers.Authorization.Count == 0;
        var limit = anonymous ? "Limits:AnonymousRequestSeconds" : "Limits:EditorRequestSeconds";
        http.Response.Clear();
        await ProblemResponses.WriteAsync(http, ProblemKinds.OutOfTime,
            $"{(anonymous ? "An anonymous request" : "An editor's request")} may take at most {budget.TotalSeconds:0.#} s, " +
            "database work included, and this one did not finish in time: the database is slow or busy, or the request " +
            $"asks for a lot of work (narrow its filters). Retry in {RetryAfterSeconds} s.",
            retryAfterSeconds: RetryAfterSeconds,
            extensions: new Dictionary<string, object?> { ["limit"] = limit, ["limitSeconds"] = budget.TotalSeconds });
    }
}

/// <summary>A commit sent to a database that stopped answering: it may or may not have been saved.</summary>
public sealed class CommitOutcomeUnknownException(Exception inner) : Exception("The database stopped answering during a commit.", inner);
