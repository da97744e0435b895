using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

public static class GetClaim
{
    public static async Task<Results<Ok<ClaimResponse>, StatusCodeHttpResult, ProblemHttpResult>> HandleAsync(
        Guid id, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var claim = await ClaimReader.GetAsync(connection, id, ct);
        if (claim is null) return Problems.NotFound($"There is no claim {id}.");

        var etag = ETags.ForVersion(claim.Version);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = HttpCaching.ClaimCacheControl;
        if (ETags.Matches(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(claim);
    }
}
