using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// While PostgreSQL cannot be reached every request answers 503 with Retry-After instead of a 500, and the pool
/// is cleared so that connections broken by the outage are not handed out again once the database is back.
/// </summary>
public sealed class DatabaseUnavailableExceptionHandler(NpgsqlDataSource dataSource,
    ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is CommitOutcomeUnknownException)
        {
            logger.LogWarning("Commit outcome unknown: {Message}", exception.InnerException?.Message);
            dataSource.Clear();
            return await ProblemResponses.WriteAsync(http, ProblemKinds.OutcomeUnknown,
                "The database stopped answering while this change was being committed: it may or may not have been saved. " +
                $"Re-read the resource before changing it again; retry a POST with the same Idempotency-Key. Retry in {RetryAfterSeconds} s.",
                retryAfterSeconds: RetryAfterSeconds, exception: exception);
        }
        if (!IsUnavailable(exception)) return false;
        if (IsStatementTimeout(exception)) return await WriteStatementTimeoutAsync(http, exception);
        logger.LogWarning("Database unavailable: {Message}", exception.Message);
        dataSource.Clear();

        return await ProblemResponses.WriteAsync(http, ProblemKinds.Unavailable,
            $"Nothing was changed by this request unless it already answered. Retry in {RetryAfterSeconds} s " +
            "(with the same Idempotency-Key for a POST).", "The catalogue's database is unavailable.", RetryAfterSeconds, exception: exception);
    }

    /// <summary>A statement that ran past its command timeout (client side) or was cancelled by the server (57014).</summary>
    private static bool IsStatementTimeout(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.QueryCanceled,
        // a timeout while connecting is the database being unreachable, not a statement running long
        NpgsqlException npgsql => npgsql.InnerException is TimeoutException && !npgsql.Message.Contains("connecting", StringComparison.OrdinalIgnoreCase),
        _ => exception.InnerException is { } inner && IsStatementTimeout(inner),
    };

    private static async ValueTask<bool> WriteStatementTimeoutAsync(HttpContext http, Exception exception)
    {
        var seconds = http.RequestServices.GetRequiredService<IConfiguration>().GetValue("Database:StatementTimeoutSeconds", 5);
        return await ProblemResponses.WriteAsync(http, ProblemKinds.OutOfTime,
            $"A database statement may run for at most {seconds} s, and one of this request's did not finish in time: " +
            $"the database is slow or busy, or the request asks for a lot of work (narrow its filters). Retry in {RetryAfterSeconds} s.",
            retryAfterSeconds: RetryAfterSeconds,
            extensions: new Dictionary<string, object?> { ["limit"] = "Database:StatementTimeoutSeconds", ["limitSeconds"] = seconds },
            exception: exception);
    }

    public static bool IsUnavailable(Exception exception) => exception switch
    {
        // class 08: connection exceptions; 57P01-03: the server is shutting down or starting up
        PostgresException pg => pg.SqlState.StartsWith("08") || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or PostgresErrorCodes.QueryCanceled,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or TimeoutException or IOException,
        TimeoutException => true,
        InvalidOperationException { InnerException: { } inner } => IsUnavailable(inner),
        _ => false,
    };
}
