using System.Net.Sockets;
using Npgsql;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Sends each request's database work to the server <see cref="DatabaseServers"/> chooses, by giving the request a service
/// provider whose <see cref="NpgsqlDataSource"/> is that server (handlers ask for a data source and never know which).
/// Writes answer with `Consistency-Token`: the primary's WAL position after they committed. A read routed to a standby
/// that turns out to be unreachable is marked down and run again on the primary, before anything was sent.
/// </summary>
public static class ReadRouting
{
    public static IApplicationBuilder UseReadReplicas(this IApplicationBuilder app)
    {
        var servers = app.ApplicationServices.GetRequiredService<DatabaseServers>();
        if (servers.Replicas.Count == 0) return app;
        return app.Use(async (http, next) =>
        {
            var method = http.Request.Method;
            var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            if (!read)
            {
                http.Response.OnStarting(async () =>
                {
                    if (http.Response.StatusCode < 400)
                        http.Response.Headers[DatabaseServers.ConsistencyTokenHeader] =
                            await DatabaseServers.PrimaryPositionAsync(servers.Primary, CancellationToken.None);
                });
                await next(http);
                return;
            }

            var anonymous = http.Request.Headers.Authorization.Count == 0;
            var token = http.Request.Headers[DatabaseServers.ConsistencyTokenHeader].ToString();
            var atLeast = DatabaseServers.TryParseLsn(token, out var lsn) ? lsn : 0;
            var replica = anonymous && (token.Length == 0 || atLeast > 0) ? servers.ReplicaFor(atLeast) : null;
            if (replica is null)
            {
                http.Response.Headers[DatabaseServers.RoleHeader] = "primary";
                await next(http);
                return;
            }

            var services = http.RequestServices;
            try
            {
                http.RequestServices = new RoutedServices(services, replica.DataSource);
                http.Response.Headers[DatabaseServers.RoleHeader] = "replica";
                await next(http);
            }
            catch (Exception e) when (!http.Response.HasStarted && Unreachable(e))
            {
                replica.State = replica.State with { Reachable = false, CheckedAt = DateTime.UtcNow, Error = e.Message };
                http.RequestServices = services;
                http.Response.Clear();
                http.Response.Headers[DatabaseServers.RoleHeader] = "primary";
                await next(http);
            }
            finally
            {
                http.RequestServices = services;
            }
        });
    }

    private static bool Unreachable(Exception e) => e switch
    {
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        NpgsqlException { SqlState: not null } npgsql => npgsql.SqlState.StartsWith("08") || npgsql.SqlState.StartsWith("57P"),
        _ => e.InnerException is { } inner && Unreachable(inner),
    };

    private sealed class RoutedServices(IServiceProvider inner, NpgsqlDataSource dataSource) : IServiceProvider, IKeyedServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(NpgsqlDataSource) ? dataSource : inner.GetService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) => ((IKeyedServiceProvider)inner).GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
            ((IKeyedServiceProvider)inner).GetRequiredKeyedService(serviceType, serviceKey);
    }
}
