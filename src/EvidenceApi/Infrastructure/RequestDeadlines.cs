namespace EvidenceApi.Infrastructure;

/// <summary>
/// Every request has a deadline to begin its answer, database work included: `Limits:AnonymousRequestSeconds`
/// (default 3) without an `Authorization` header, `Limits:EditorRequestSeconds` (default 4) with one. When it passes,
/// the request's cancellation token fires, which cancels the statement on the server (or drops the connection of
/// a database that does not answer), and the client gets 503 with Retry-After naming the limit, instead of waiting.
/// A response that has begun (an export) is no longer cut by it; exports have limits of their own.
/// </summary>
public static class RequestDeadlines
{
    public const int RetryAfterSeconds = 2;

    public static TimeSpan DatabaseBudget(IConfiguration configuration, HttpContext http) =>
        TimeSpan.FromSeconds(http.Request.Headers.Authorization.Count > 0
            ? configuration.GetValue("Limits:EditorRequestSeconds", 4.0)
            : configuration.GetValue("Limits:AnonymousRequestSeconds", 3.0));

    public static IApplicationBuilder UseRequestDeadlines(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        return app.Use(async (http, next) =>
        {
            var budget = DatabaseBudget(configuration, http);
            var clientAborted = http.RequestAborted;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
            var expired = false;
            await using var timer = new Timer(_ =>
            {
                if (http.Response.HasStarted) return;
                expired = true;
                deadline.Cancel();
            }, null, budget, Timeout.InfiniteTimeSpan);
            http.RequestAborted = deadline.Token;
            try
            {
                await next(http);
            }
            catch (Exception) when (Volatile.Read(ref expired) && !clientAborted.IsCancellationRequested && !http.Response.HasStarted)
            {
                http.RequestAborted = clientAborted;
                await WriteExpiredAsync(http, budget);
            }
        });
    }

    private static async Task WriteExpiredAsync(HttpContext http, TimeSpan budget)
    {
        var anonymous = http.Request.Headers.Authorization.Count == 0;
        var limit = anonymous ? "Limits:AnonymousRequestSeconds" : "Limits:EditorRequestSeconds";
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The request ran out of time.",
                Detail = $"{(anonymous ? "An anonymous request" : "An editor's request")} may take at most {budget.TotalSeconds:0.#} s, " +
                         "database work included, and this one did not finish in time: the database is slow or busy, or the request " +
                         $"asks for a lot of work (narrow its filters). Retry in {RetryAfterSeconds} s; retry a POST with the same " +
                         "Idempotency-Key, so that a change that did commit is not made twice.",
                Extensions = { ["limit"] = limit, ["limitSeconds"] = budget.TotalSeconds },
            },
        });
    }
}
