using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Fixed-window limits per client: anonymous requests by client address, editors by their id, each with its own
/// budget (`RateLimiting:AnonymousPermitLimit`, `RateLimiting:EditorPermitLimit` per `RateLimiting:WindowSeconds`).
/// Over the limit: 429 problem with Retry-After. Counters live in each instance.
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
            {
                var editor = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
                return editor is not null
                    ? RateLimitPartition.GetFixedWindowLimiter("editor:" + editor, _ => Window(editors, window))
                    : RateLimitPartition.GetFixedWindowLimiter("address:" + http.Connection.RemoteIpAddress, _ => Window(anonymous, window));
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Slow down: try again in {context.HttpContext.Response.Headers.RetryAfter} s.",
                    },
                });
            };
        });
        return services;
    }

    public static IApplicationBuilder UseApiRateLimiting(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IConfiguration>().GetValue("RateLimiting:Enabled", true) ? app.UseRateLimiter() : app;

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
