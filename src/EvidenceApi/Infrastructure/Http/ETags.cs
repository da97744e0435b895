using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace EvidenceApi.Infrastructure;

public static class ETags
{
    /// <summary>A claim's ETag is its version: every change to it, its citations or its flags bumps it.</summary>
    public static string ForVersion(int version) => $"\"{version}\"";

    /// <summary>A strong ETag over a representation's bytes, for lists and other composed responses: 128 bits of XXH3,
    /// a non-cryptographic hash (an ETag only has to change when the bytes do), ~10× cheaper than SHA-256 on a list page.</summary>
    public static string ForContent(ReadOnlySpan<byte> content) =>
        $"\"{Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(content))}\"";

    /// <summary>The ETag <see cref="CachedOk{T}"/> gives <paramref name="value"/>: over the bytes the response would have, written
    /// with the HTTP JSON options.</summary>
    public static string ForResponse<T>(HttpContext http, T value) => ForContent(JsonSerializer.SerializeToUtf8Bytes(value,
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));

    /// <summary>If-None-Match: weak comparison, "*" matches anything (RFC 9110 §13.1.2).</summary>
    public static bool Matches(StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(EntityTagHeaderValue.Parse(etag), useStrongComparison: false));
}
