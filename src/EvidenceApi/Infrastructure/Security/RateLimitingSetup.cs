using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Fixed-window limits that run before authentication, so a request over its limit costs no database work:
/// by client address, anonymous requests (`RateLimiting:AnonymousPermitLimit`) and requests that carry a key
/// (`RateLimiting:EditorPermitLimit`) each have a budget; a request with an editor key also spends from that
/// editor's own budget (`RateLimiting:EditorPermitLimit`), wherever it comes from. Windows are
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
            var byAddress = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Headers.Authorization.Count == 0
                    ? RateLimitPartition.GetFixedWindowLimiter("anonymous:" + http.Connection.RemoteIpAddress, _ => Window(anonymous, window))
                    : RateLimitPartition.GetFixedWindowLimiter("keyed:" + http.Connection.RemoteIpAddress, _ => Window(editors, window)));
            // The identity is read from the request unverified: a forged one only spends a budget of its own,
            // and the address limit above still counts the request.
            var byIdentity = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.RequestServices.GetService<IClaimedIdentity>()?.Of(http.Request) is { } identity
                    ? RateLimitPartition.GetFixedWindowLimiter(identity, _ => Window(editors, window))
                    : RateLimitPartition.GetNoLimiter("none"));
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(byAddress, byIdentity);
            options.OnRejected = async (context, ct) =>
            {
                var seconds = (int)Math.Ceiling((context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window).TotalSeconds);
                await ProblemResponses.WriteAsync(context.HttpContext, ProblemKinds.TooManyRequests, $"Slow down: try again in {seconds} s.",
                    retryAfterSeconds: seconds);
            };
        });
        return services;
    }

    public static IApplicationBuilder UseApiRateLimiting(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IConfiguration>().GetValue("RateLimiting:Enabled", true) ? app.UseRateLimiter() : app;

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
