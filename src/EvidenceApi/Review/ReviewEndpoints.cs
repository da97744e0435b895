using System.Reflection;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace EvidenceApi.Review;

public static class ReviewEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] PageFiles =
    [
        ("/review", "review/review.html", "text/html; charset=utf-8"),
        ("/review/review.js", "review/review.js", "text/javascript; charset=utf-8"),
        ("/review/review.css", "review/review.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapReview(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/review-queue", ReviewQueue.HandleAsync)
            .WithTags("Review")
            .WithName("GetReviewQueue")
            .WithSummary("Claims that most need an editor (editor)")
            .WithDescription("Riskiest first: claims with open flags (oldest flag first), overclaims, then claims with no citation " +
                             "by how strongly the source words them (asserted, suggested, speculative; oldest first). Each item says " +
                             "why it is there. Filter by `source` and `condition` (narrower conditions included).")
            .RequireEditor()
            .Validate<ReviewQueueQuery>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        foreach (var (path, resource, contentType) in PageFiles)
        {
            var bytes = Read(resource);
            var etag = ETags.ForContent(bytes);
            // the page reads `source` and `claim` itself (a link to one claim); the server serves the same bytes
            app.MapGet(path, (HttpContext http, [FromQuery(Name = "source")] string? source, [FromQuery(Name = "claim")] string? claim) =>
                {
                    http.Response.Headers.ETag = etag;
                    http.Response.Headers.CacheControl = "public, max-age=0, must-revalidate";
                    return ETags.Matches(http.Request.Headers.IfNoneMatch, etag)
                        ? Results.StatusCode(StatusCodes.Status304NotModified)
                        : Results.Bytes(bytes, contentType);
                })
                .WithMetadata(PagePolicy.SameOrigin)
                .ExcludeFromDescription();
        }
        return app;
    }

    private static byte[] Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The review page's {resource} is not in the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
