using EvidenceApi.Infrastructure;
using EvidenceApi.Review;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

public static class GetClaim
{
    public static async Task<Results<Ok<ClaimResponse>, ContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> HandleAsync(
        Guid id, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var claim = await ClaimReader.GetAsync(connection, id, ct);
        if (claim is null) return Problems.NotFound($"There is no claim {id}.");
        http.Response.Headers.Vary = "Accept";
        http.Response.Headers.CacheControl = HttpCaching.ClaimCacheControl;

        if (ClaimReviewDocument.IsPreferred(http.Request))
        {
            // the review also shows its source's metadata and open flags: its validator is over its own bytes
            var document = await ClaimReviewDocument.BuildAsync(connection, claim, ClaimReviewDocument.BaseUrl(http), ct);
            var body = document.ToJsonString();
            var contentTag = ETags.ForContent(System.Text.Encoding.UTF8.GetBytes(body));
            http.Response.Headers.ETag = contentTag;
            if (ETags.Matches(http.Request.Headers.IfNoneMatch, contentTag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            return TypedResults.Text(body, ClaimReviewDocument.MediaType + "; charset=utf-8");
        }

        var etag = ETags.ForVersion(claim.Version);
        http.Response.Headers.ETag = etag;
        if (ETags.Matches(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(claim);
    }
}
