using EvidenceApi.Infrastructure;

namespace EvidenceApi.Claims;

public static class ClaimEndpoints
{
    public static IEndpointRouteBuilder MapClaimEndpoints(this IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/v1/claims").WithTags("Claims");

        claims.MapGet("/", ListClaims.HandleAsync)
            .WithName("ListClaims")
            .WithSummary("List claims")
            .WithDescription("Filters combine with AND; comma-separated values within one filter combine with OR. " +
                             "Keyset-paged: follow `nextCursor` (or the `Link: rel=\"next\"` header) until it is null.")
            .Validate<ListClaimsQuery>();

        claims.MapGet("/{id}", GetClaim.HandleAsync)
            .WithName("GetClaim")
            .WithSummary("Get one claim")
            .WithDescription("Retired claims stay readable by id. The ETag is the claim's version; send it in " +
                             "`If-None-Match` to get 304 when nothing changed, or in `If-Match` when you change the claim.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}
