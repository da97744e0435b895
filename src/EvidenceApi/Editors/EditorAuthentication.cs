using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EvidenceApi.Editors;

public static class EditorAuthentication
{
    public const string Scheme = "Bearer";
    public const string EditorPolicy = "editor";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddEditors(this IServiceCollection services)
    {
        services.AddSingleton<RejectedKeys>();
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, EditorKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, p => p.RequireRole("editor", "admin"))
            .AddPolicy(AdminPolicy, p => p.RequireRole("admin"));
        return services;
    }

    /// <summary>
    /// A request that presents a key that is not valid is refused (401), even where no key is needed: a bad credential is
    /// an error (RFC 6750), and otherwise any `Authorization` header would move a client into the larger keyed rate limit.
    /// </summary>
    public static IApplicationBuilder UseRefusalOfInvalidKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers.Authorization.Count > 0 && http.User.Identity?.IsAuthenticated != true)
        {
            await http.ChallengeAsync(Scheme);
            return;
        }
        await next(http);
    });

    public static RouteHandlerBuilder RequireEditor(this RouteHandlerBuilder builder) => builder
        .RequireAuthorization(EditorPolicy)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

    public static RouteHandlerBuilder RequireAdmin(this RouteHandlerBuilder builder) => builder
        .RequireAuthorization(AdminPolicy)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>The key of `Authorization: Bearer {key}`, or null.</summary>
    public static string? BearerKey(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

}

/// <summary>Authenticates `Authorization: Bearer {editor key}` against the editors table on every request,
/// so a revoked key stops working at once on every instance.</summary>
public sealed class EditorKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, NpgsqlDataSource dataSource, RejectedKeys rejected) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string NotValid = "The key is not valid.";

    // Compared against when no editor matches, so unknown ids cost the same as wrong secrets.
    private static readonly byte[] NoSuchEditor = new byte[32];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Use `Authorization: Bearer {key}`.");

        var key = EditorAuthentication.BearerKey(Request)!;
        if (!EditorKeys.TryGetEditorId(key, out var editorId) || rejected.Contains(key)) return AuthenticateResult.Fail(NotValid);

        await using var connection = await dataSource.OpenConnectionAsync(Context.RequestAborted);
        var editor = await connection.QuerySingleOrDefaultAsync<(string Name, string Role, byte[] KeyHash, DateTime? RevokedAt)>(
            new CommandDefinition("select name, role, key_hash, revoked_at from editors where id = @editorId",
                new { editorId }, cancellationToken: Context.RequestAborted));

        var matches = EditorKeys.Matches(key, editor.KeyHash ?? NoSuchEditor);
        // A revoked key reads like an unknown one: the answer tells a key's holder nothing about its history.
        if (!matches || editor.Name is null || editor.RevokedAt is not null)
        {
            rejected.Add(key);
            return AuthenticateResult.Fail(NotValid);
        }

        var identity = new ClaimsIdentity([
            new Claim(ClaimTypes.NameIdentifier, editorId.ToString()),
            new Claim(ClaimTypes.Name, editor.Name),
            new Claim(ClaimTypes.Role, editor.Role),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync("Authentication required.",
            failure ?? "This operation needs an editor key: send `Authorization: Bearer {key}`.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync("Forbidden.", "Your role may not do this.");
    }

    private async Task WriteProblemAsync(string title, string detail) =>
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        });
}

/// <summary>
/// Keys refused in the last minute, so that a client repeating a wrong, unknown or revoked key costs no database
/// round trip. Safe to remember: a refused key can never become valid (keys are random, revocation is final).
/// </summary>
public sealed class RejectedKeys
{
    private readonly MemoryCache _keys = new(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions { SizeLimit = 10_000 });

    public bool Contains(string key) => _keys.TryGetValue(Convert.ToHexString(EditorKeys.Hash(key)), out _);

    public void Add(string key) => _keys.Set(Convert.ToHexString(EditorKeys.Hash(key)), true,
        new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
}
