namespace EvidenceApi.Infrastructure;

/// <summary>
/// Browsers on the origins in `Cors:AllowedOrigins` (an array; `*` for any) may call the API, send the headers
/// writes need, and read the headers paging and caching need. With no origins configured, no CORS headers are sent.
/// </summary>
public static class CorsSetup
{
    /// <summary>Lets browser scripts read a response header a feature sends (besides the standard ones listed below).</summary>
    public static IServiceCollection AddCorsExposedHeader(this IServiceCollection services, string header) =>
        services.Configure<ExposedHeaders>(o => o.Names.Add(header));

    public sealed class ExposedHeaders
    {
        public HashSet<string> Names { get; } = new(StringComparer.OrdinalIgnoreCase) { "ETag", "Link", "Location", "Retry-After", "Idempotent-Replayed", DatabaseServers.ConsistencyTokenHeader, DatabaseServers.RoleHeader };
    }

    public static IServiceCollection AddApiCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<Microsoft.Extensions.Options.IOptions<ExposedHeaders>>(
            (options, exposed) => options.AddDefaultPolicy(policy =>
        {
            var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins(origins);
            policy.WithMethods("GET", "HEAD", "POST", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", Idempotency.Header, DatabaseServers.ConsistencyTokenHeader)
                .WithExposedHeaders(exposed.Value.Names.ToArray())
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }
}
