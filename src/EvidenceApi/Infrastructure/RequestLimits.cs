namespace EvidenceApi.Infrastructure;

/// <summary>Explicit limits on what a request may send (`Limits:MaxRequestBodyBytes`, default 1 MiB).</summary>
public static class RequestLimits
{
    public static long MaxBodyBytes(IConfiguration configuration) => configuration.GetValue("Limits:MaxRequestBodyBytes", 1024L * 1024);

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes(builder.Configuration);
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
        });
        return builder;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return next(http);
    });

    /// <summary>Refuses a declared oversize body before anything reads it (Kestrel also stops chunked ones at the limit).</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var max = MaxBodyBytes(app.ApplicationServices.GetRequiredService<IConfiguration>());
        return app.Use((http, next) =>
        {
            if (http.Request.ContentLength > max)
                throw new BadHttpRequestException($"The request body is larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);
            return next(http);
        });
    }
}
