using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EvidenceApi.Health;

public static class HealthEndpoints
{
    private static Task WriteStatusAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain";
        return http.Response.WriteAsync(report.Status.ToString());
    }

    private const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: "postgresql", tags: [ReadyTag],
                timeout: TimeSpan.FromSeconds(2));
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: it can also reach PostgreSQL.
        // Not rate limited: a load balancer polls them from one address.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = async (http, report) =>
            {
                if (report.Status == HealthStatus.Unhealthy) http.Response.Headers.RetryAfter = "2";
                await WriteStatusAsync(http, report);
            },
        }).DisableRateLimiting();
        return app;
    }
}
