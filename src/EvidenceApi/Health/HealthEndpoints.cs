using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EvidenceApi.Health;

public static class HealthEndpoints
{
    // The status (of the primary) on the first line; then one line per read replica: a replica that is down or too far
    // behind is skipped by reads, so it does not make the instance unready.
    private static Task WriteStatusAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain";
        var servers = http.RequestServices.GetRequiredService<DatabaseServers>();
        var lines = servers.Replicas.Select(r => r.State switch
        {
            { Reachable: false } s => $"{r.Name}: down ({s.Error})",
            var s => $"{r.Name}: {(servers.Usable(r, 0) ? "in use" : "skipped, too far behind")}, lag {s.LagBytes} bytes" +
                     (s.ReplayDelaySeconds is { } d ? $", last replayed commit {d:0.0} s ago" : ""),
        });
        return http.Response.WriteAsync(string.Join('\n', lines.Prepend(report.Status.ToString())));
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
