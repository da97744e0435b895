using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using EvidenceApi.Editors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EvidenceApi.Infrastructure;

public static class EditorAuthentication
{
    public const string Scheme = "Bearer";
    public const string EditorPolicy = "editor";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddEditorAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, EditorKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, p => p.RequireRole("editor", "admin"))
            .AddPolicy(AdminPolicy, p => p.RequireRole("admin"));
        return services;
    }

    public static Guid EditorId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
}

/// <summary>Authenticates `Authorization: Bearer {editor key}` against the editors table on every request,
/// so a revoked key stops working at once on every instance.</summary>
public sealed class EditorKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, NpgsqlDataSource dataSource) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    // Compared against when no editor matches, so unknown ids cost the same as wrong secrets.
    private static readonly byte[] NoSuchEditor = new byte[32];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Use `Authorization: Bearer {key}`.");

        var key = header["Bearer ".Length..].Trim();
        if (!EditorKeys.TryGetEditorId(key, out var editorId)) return AuthenticateResult.Fail("The key is not valid.");

        await using var connection = await dataSource.OpenConnectionAsync(Context.RequestAborted);
        var editor = await connection.QuerySingleOrDefaultAsync<(string Name, string Role, byte[] KeyHash, DateTime? RevokedAt)>(
            new CommandDefinition("select name, role, key_hash, revoked_at from editors where id = @editorId",
                new { editorId }, cancellationToken: Context.RequestAborted));

        var matches = EditorKeys.Matches(key, editor.KeyHash ?? NoSuchEditor);
        if (!matches || editor.Name is null) return AuthenticateResult.Fail("The key is not valid.");
        if (editor.RevokedAt is not null) return AuthenticateResult.Fail("The key was revoked.");

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
