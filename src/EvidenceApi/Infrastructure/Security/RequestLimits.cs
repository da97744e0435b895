namespace EvidenceApi.Infrastructure;

/// <summary>A body limit of its own for an endpoint that takes large bodies; every other takes `Limits:MaxRequestBodyBytes`.</summary>
public sealed record RequestBodyLimit(long Bytes);

/// <summary>The Content-Security-Policy of an endpoint that serves a page of its own (every other answer may run nothing).</summary>
public sealed record PagePolicy(string ContentSecurityPolicy)
{
    /// <summary>A page of this API's own scripts and styles that calls this API, and nothing else.</summary>
    public static readonly PagePolicy SameOrigin = new("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
                                                       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
}

/// <summary>Explicit limits on what a request may send (`Limits:MaxRequestBodyBytes`, default 1 MiB).</summary>
public static class RequestLimits
{
    // Kestrel's own limit: the largest any endpoint takes; each request is held to its endpoint's limit below.
    private const long LargestBody = 16 * 1024 * 1024;

    public static long MaxBodyBytes(IConfiguration configuration) => configuration.GetValue("Limits:MaxRequestBodyBytes", 1024L * 1024);

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Math.Max(LargestBody, MaxBodyBytes(builder.Configuration));
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
        });
        return builder;
    }

    // Swagger UI loads its own scripts and styles (it injects inline styles) and calls this API; nothing else runs.
    private const string SwaggerUiPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
                                           "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; " +
                                           "form-action 'none'; frame-ancestors 'none'";
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    // Set as the response starts, so that answers whose headers were cleared on the way (error handlers) carry them too.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.XFrameOptions = "DENY";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            http.Response.Headers.ContentSecurityPolicy = http.GetEndpoint()?.Metadata.GetMetadata<PagePolicy>()?.ContentSecurityPolicy
                ?? (http.Request.Path.StartsWithSegments("/swagger") ? SwaggerUiPolicy : ApiPolicy);
            if (http.Response.StatusCode >= 500) http.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>Whether a request is a HEAD answered by its GET route: work that only makes the body can be skipped.</summary>
    public static bool IsHead(this HttpContext http) => http.Features.Get<HeadRequest>() is not null;

    private sealed class HeadRequest;

    /// <summary>HEAD is answered by the GET route, with the same status and headers and no body.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await next(http);
            return;
        }
        http.Request.Method = HttpMethods.Get;
        http.Features.Set(new HeadRequest());
        var body = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()!;
        http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        try
        {
            await next(http);
        }
        finally
        {
            http.Features.Set(body);
            http.Request.Method = HttpMethods.Head;
        }
    });

    /// <summary>
    /// Refuses a declared oversize body before anything reads it, and holds a chunked one to the same limit as it is read.
    /// After routing: the limit is the endpoint's (<see cref="RequestBodyLimit"/>) or the default.
    /// </summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var defaultMax = MaxBodyBytes(app.ApplicationServices.GetRequiredService<IConfiguration>());
        return app.Use((http, next) =>
        {
            var max = http.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.Bytes ?? defaultMax;
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = max;
            if (http.Request.ContentLength > max)
                throw new BadHttpRequestException($"The request body is larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);
            return next(http);
        });
    }
}
