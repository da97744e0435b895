using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.Metadata;
using Npgsql;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// `Idempotency-Key` on POST (IETF httpapi draft): the first successful response is stored, in the same
/// transaction as the change it reports, scoped by editor, method and path. A retry with the same key and
/// body gets that response again and changes nothing; the same key with another body is 422.
/// Keys expire after `Idempotency:Lifetime` (default 24 h).
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    private const string PendingItem = "idempotency.pending";
    private const string UniqueKeyConstraint = "idempotency_keys_pkey";

    private sealed record Pending(Guid EditorId, string Scope, string Key, byte[] RequestHash);

    private sealed class StoredResponse
    {
        public byte[] RequestHash { get; init; } = [];
        public int StatusCode { get; init; }
        public string ResponseBody { get; init; } = "";
        public string Headers { get; init; } = "{}";
    }

    /// <summary>Request bodies of keyed POSTs and PATCHes are buffered so that the filter can hash them after binding (a body
    /// not buffered would hash as empty, and a reused key with another body would replay the first answer).</summary>
    public static IApplicationBuilder UseIdempotencyBuffering(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var method = http.Request.Method;
        if ((HttpMethods.IsPost(method) || HttpMethods.IsPatch(method)) && http.Request.Headers.ContainsKey(Header)) http.Request.EnableBuffering();
        return next(http);
    });

    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            if (!http.Request.Headers.TryGetValue(Header, out var values)) return await next(invocation);

            var key = values.ToString().Trim().Trim('"');
            if (key.Length is 0 or > 255 || key.Any(c => c < 0x21 || c > 0x7e))
                return Problems.InvalidField(Header, $"`{Header}` must be 1–255 visible ASCII characters.");

            var scope = Scope(http);
            var pending = new Pending(http.User.EditorId(), scope, key, await HashRequestAsync(http.Request, scope));
            var dataSource = http.RequestServices.GetRequiredService<NpgsqlDataSource>();

            var replay = await ReplayAsync(dataSource, pending, http);
            if (replay is not null) return replay;

            http.Items[PendingItem] = pending;
            try
            {
                var result = await next(invocation);
                // A concurrent first attempt may have committed while this one waited for the claim and then failed
                // its precondition: answer as the first did.
                return IsFailure(result) ? await ReplayAsync(dataSource, pending, http) ?? result : result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == UniqueKeyConstraint)
            {
                // A concurrent request with this key committed first: answer as it did.
                return await ReplayAsync(dataSource, pending, http)
                    ?? throw new InvalidOperationException("Idempotency key vanished after a conflict.", e);
            }
        })
        .WithMetadata(new IdempotentEndpoint())
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>Stores the response of a keyed request inside the transaction of its change. No-op without a key.</summary>
    public static async Task RecordAsync(HttpContext http, NpgsqlConnection connection, NpgsqlTransaction transaction,
        int statusCode, object body, IReadOnlyDictionary<string, string> headers, CancellationToken ct)
    {
        if (http.Items[PendingItem] is not Pending pending) return;
        var lifetime = http.RequestServices.GetRequiredService<IConfiguration>().GetValue("Idempotency:Lifetime", TimeSpan.FromHours(24));
        await connection.ExecuteAsync(new CommandDefinition("""
            delete from idempotency_keys where editor_id = @EditorId and scope = @Scope and key = @Key and expires_at <= now();
            insert into idempotency_keys (editor_id, scope, key, request_hash, status_code, response_body, headers, expires_at)
            values (@EditorId, @Scope, @Key, @RequestHash, @statusCode, @responseBody, @headers::jsonb, now() + @lifetime)
            """,
            new
            {
                pending.EditorId,
                pending.Scope,
                pending.Key,
                pending.RequestHash,
                statusCode,
                responseBody = JsonSerializer.Serialize(body, body.GetType(), ApiJson.Options),
                headers = JsonSerializer.Serialize(headers),
                lifetime,
            }, transaction, cancellationToken: ct));
    }

    private static async Task<IResult?> ReplayAsync(NpgsqlDataSource dataSource, Pending pending, HttpContext http)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition("""
            select request_hash, status_code, response_body, headers::text as headers from idempotency_keys
            where editor_id = @EditorId and scope = @Scope and key = @Key and expires_at > now()
            """, pending, cancellationToken: http.RequestAborted));
        if (stored is null) return null;
        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, pending.RequestHash))
            return Problems.CannotProcess("Idempotency key reused.",
                $"This `{Header}` was already used with a different request (body, query string or If-Match). Use a new key for a new request.");

        http.Response.Headers["Idempotent-Replayed"] = "true";
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stored.Headers)!)
            http.Response.Headers[name] = value;
        return TypedResults.Text(stored.ResponseBody, "application/json", Encoding.UTF8, stored.StatusCode);
    }

    private static bool IsFailure(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return result is IStatusCodeHttpResult { StatusCode: >= 400 };
    }

    /// <summary>
    /// The operation a key belongs to: the matched route and its values, not the raw path, so that `/V1/Claims`,
    /// `/v1/claims/` and `/v1/claims` (or an id in upper case) are the same operation.
    /// </summary>
    private static string Scope(HttpContext http)
    {
        var endpoint = (RouteEndpoint)http.GetEndpoint()!;
        var values = endpoint.RoutePattern.Parameters
            .Select(p => http.Request.RouteValues[p.Name]?.ToString() ?? "")
            .Select(v => Guid.TryParse(v, out var id) ? id.ToString() : v);
        return $"{http.Request.Method} {endpoint.RoutePattern.RawText} {string.Join(' ', values)}".TrimEnd();
    }

    private static async Task<byte[]> HashRequestAsync(HttpRequest request, string scope)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{scope}{request.QueryString}\n{request.Headers.IfMatch}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return hash.GetHashAndReset();
    }
}

/// <summary>Marks endpoints that honour `Idempotency-Key`, for the OpenAPI description.</summary>
public sealed class IdempotentEndpoint;
