using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// 200 with a JSON body, a strong ETag over its bytes and Cache-Control; 304 when `If-None-Match` already holds
/// that ETag. Any change to what the response shows changes its ETag, so HTTP caches and CDNs can revalidate
/// lists and vocabularies cheaply.
/// </summary>
public sealed class CachedOk<T>(T value, string cacheControl) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    public T Value { get; } = value;
    object? IValueHttpResult.Value => Value;
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(Value, options);
        var etag = ETags.ForContent(body); // as ETags.ForResponse
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = cacheControl;
        if (ETags.Matches(http.Request.Headers.IfNoneMatch, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void), []));
    }
}

public static class Cached
{
    public static CachedOk<T> Ok<T>(T value, string cacheControl = HttpCaching.ListCacheControl) => new(value, cacheControl);
}
