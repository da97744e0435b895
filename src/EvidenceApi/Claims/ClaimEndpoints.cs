using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.Claims;

public static class ClaimEndpoints
{
    public static IServiceCollection AddClaims(this IServiceCollection services)
    {
        services.AddSingleton<CatalogueResults>();
        services.AddSingleton<ClaimIndex>();
        services.AddHostedService<ClaimIndexWarmup>();
        services.AddSingleton<CatalogueSeeder>();
        services.AddSingleton<IDatabaseSeed>(sp => sp.GetRequiredService<CatalogueSeeder>());
        services.AddHostedService<FacetCountCompaction>();
        services.AddSingleton<ExportSlots>();
        services.AddCorsExposedHeader(ClaimHeaders.ClaimETag);
        return services;
    }

    public static IEndpointRouteBuilder MapClaims(this IEndpointRouteBuilder app)
    {
        var claims = app.MapGroup("/v1/claims").WithTags("Claims");

        claims.MapGet("/", ListClaims.HandleAsync)
            .WithName("ListClaims")
            .WithSummary("List claims")
            .WithDescription("Filters combine with AND; comma-separated values within one filter combine with OR. " +
                             "Keyset-paged: follow `nextCursor` (or the `Link: rel=\"next\"` header) until it is null.")
            .Validate<ListClaimsQuery>();

        claims.MapGet("/facets", ClaimFacets.HandleAsync)
            .WithName("GetClaimFacets")
            .WithSummary("Count claims per value")
            .WithDescription("Takes the same filters as the list. `by` names the fields to count; `total` is the number of matching claims.")
            .Validate<ClaimFacetsQuery>();

        claims.MapGet("/export", ExportClaims.HandleAsync)
            .WithName("ExportClaims")
            .WithSummary("Export claims as CSV or JSON Lines")
            .WithDescription("Takes the same filters as the list and streams every matching claim, oldest first, as RFC 4180 CSV " +
                             "with a header row (lists joined with `;`; a cell that a spreadsheet would run as a formula, one beginning " +
                             "with `=`, `+`, `-`, `@`, tab or carriage return, is prefixed with `'`) or one JSON object per line. Sent as a " +
                             "file download. A client may run 2 exports at once (429 beyond), an instance 8 (503 beyond), each with `Retry-After`.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/jsonl"])
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Validate<ExportClaimsQuery>();

        claims.MapGet("/{id}", GetClaim.HandleAsync)
            .WithName("GetClaim")
            .WithSummary("Get one claim")
            .WithDescription("Retired claims stay readable by id. The ETag is the claim's version; send it in " +
                             "`If-None-Match` to get 304 when nothing changed, or in `If-Match` when you change the claim. " +
                             "With `Accept: application/ld+json` the claim is answered as a schema.org `ClaimReview` (the quote " +
                             "reviewed, the source it appeared in, the verdict in words in `reviewRating.alternateName`: needs " +
                             "citation, unsupported, overclaimed, supported at level …), with an ETag of its own.")
            .WithMetadata(new AlternativeRepresentation(Review.ClaimReviewDocument.MediaType, "A schema.org ClaimReview (JSON-LD)."))
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        claims.MapPost("/", CreateClaim.HandleAsync)
            .WithName("CreateClaim")
            .WithSummary("Add a claim (editor)")
            .WithDescription("The quote must be the exact text of the source at `position` (code points), and every " +
                             "vocabulary term must exist; otherwise 422 names the field.")
            .RequireEditor()
            .Validate<CreateClaimRequest>()
            .Idempotent()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        claims.MapPatch("/{id}", PatchClaim.HandleAsync)
            .WithName("PatchClaim")
            .WithSummary("Edit or grade a claim (editor)")
            .WithDescription("A JSON merge patch (`application/merge-patch+json`) of the editable fields. Needs `If-Match` " +
                             "with the claim's ETag: 428 without it, 412 when it is stale. `evidenceLevel` above `insufficient` " +
                             "needs a citation (422).")
            .Accepts<PatchClaimRequest>("application/merge-patch+json", "application/json")
            .RequireEditor()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesChangeProblems();

        claims.MapPost("/{id}/retire", RetireClaim.HandleAsync)
            .WithName("RetireClaim")
            .WithSummary("Retire a claim (editor)")
            .WithDescription("Hides the claim from lists (unless `includeRetired=true`); it stays readable by id, with its history. Needs `If-Match`.")
            .RequireEditor()
            .Validate<RetireClaimRequest>()
            .Idempotent()
            .ProducesChangeProblems();

        claims.MapGet("/{id}/history", ClaimHistory.HandleAsync)
            .WithName("GetClaimHistory")
            .WithSummary("A claim's revisions")
            .WithDescription("Every change to the claim, its citations and its flags, oldest first: who, when, and the claim as it was after. " +
                             "Page with `limit` (1–200, default 100) and `cursor`.")
            .Validate<PageQuery>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}
