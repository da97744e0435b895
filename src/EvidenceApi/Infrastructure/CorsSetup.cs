namespace EvidenceApi.Infrastructure;

/// <summary>
/// Browsers on the origins in `Cors:AllowedOrigins` (an array; `*` for any) may call the API, send the headers
/// writes need, and read the headers paging and caching need. With no origins configured, no CORS headers are sent.
/// </summary>
public static class CorsSetup
{
    public static IServiceCollection AddApiCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins(origins);
            policy.WithMethods("GET", "HEAD", "POST", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", Idempotency.Header)
                .WithExposedHeaders("ETag", "Link", "Location", "Retry-After", Claims.ClaimHeaders.ClaimETag, "Idempotent-Replayed")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }
}
