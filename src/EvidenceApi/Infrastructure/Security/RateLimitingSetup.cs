using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Fixed-window limits. Before authentication, so that a request over its limit costs no database work, by client
/// address: anonymous requests (`RateLimiting:AnonymousPermitLimit`) and requests that carry a key
/// (`RateLimiting:EditorPermitLimit`) each have a budget. After authentication, an editor's requests also spend from
/// that editor's own budget (`RateLimiting:EditorPermitLimit`), wherever they come from; only a verified key counts
/// there, so nobody can spend an editor's budget by forging keys with the editor's id. Windows are
/// `RateLimiting:WindowSeconds` long. Over a limit: 429 problem with Retry-After. Counters live in each instance.
/// Health endpoints are not limited.
/// </summary>
public static class RateLimitingSetup
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRateLimiter(options =>
        {
            // read when the options are built, so that configuration added by hosts and tests counts
            var section = configuration.GetSection("RateLimiting");
            var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 60));
            var anonymous = section.GetValue("AnonymousPermitLimit", 600);
            var editors = section.GetValue("EditorPermitLimit", 2400);

            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Headers.Authorization.Count == 0
                    ? RateLimitPartition.GetFixedWindowLimiter("anonymous:" + http.Connection.RemoteIpAddress, _ => Window(anonymous, window))
                    : RateLimitPartition.GetFixedWindowLimiter("keyed:" + http.Connection.RemoteIpAddress, _ => Window(editors, window)));
            options.OnRejected = async (context, ct) =>
            {
                await RejectAsync(context.HttpContext, context.Lease, window);
            };
        });
        return services;
    }

    public static IApplicationBuilder UseApiRateLimiting(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IConfiguration>().GetValue("RateLimiting:Enabled", true) ? app.UseRateLimiter() : app;

    /// <summary>Each authenticated editor's own budget; goes after authentication.</summary>
    public static IApplicationBuilder UseEditorRateLimits(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue("RateLimiting:Enabled", true)) return app;
        var window = TimeSpan.FromSeconds(configuration.GetValue("RateLimiting:WindowSeconds", 60));
        var permits = configuration.GetValue("RateLimiting:EditorPermitLimit", 2400);
        var limiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            http.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetFixedWindowLimiter(http.ClientKey(), _ => Window(permits, window))
                : RateLimitPartition.GetNoLimiter("anonymous"));
        return app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null)
            {
                using var lease = limiter.AttemptAcquire(http);
                if (!lease.IsAcquired)
                {
                    await RejectAsync(http, lease, window);
                    return;
                }
            }
            await next(http);
        });
    }

    /// <summary>429 with `Retry-After`: when the lease says the window reopens, else a whole window.</summary>
    private static Task RejectAsync(HttpContext http, RateLimitLease lease, TimeSpan window)
    {
        var seconds = (int)Math.Ceiling((lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window).TotalSeconds);
        return ProblemResponses.WriteAsync(http, ProblemKinds.TooManyRequests, $"Slow down: try again in {seconds} s.", retryAfterSeconds: seconds);
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
