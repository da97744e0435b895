using EvidenceApi.Claims;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.Citations;

public static class CitationEndpoints
{
    public static IEndpointRouteBuilder MapCitations(this IEndpointRouteBuilder app)
    {
        var citations = app.MapGroup("/v1/claims/{id}/citations").WithTags("Citations");

        citations.MapPost("/", AddCitation.HandleAsync)
            .WithName("AddCitation")
            .WithSummary("Cite evidence for a claim (editor)")
            .WithDescription("DOIs, PMIDs and URLs are validated and normalised (a doi.org link is stored as the DOI); the same " +
                             "identifier twice on one claim, in any case, is 409. Or cite a finding: `{\"findingId\": \"…\"}` alone " +
                             "(optionally `stance`, `note`) fills identifier, title, year, grade and stance from it (GET " +
                             "/v1/claims/{id}/suggestions); one citation per finding. Needs `If-Match` with the claim's ETag; " +
                             "`Claim-ETag` in the response is the claim's new one.")
            .RequireEditor()
            .Validate<AddCitationRequest>()
            .Idempotent()
            .ProducesChangeProblems();

        citations.MapGet("/{citationId}", GetCitation.HandleAsync)
            .WithName("GetCitation")
            .WithSummary("Get one citation of a claim")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        citations.MapDelete("/{citationId}", RemoveCitation.HandleAsync)
            .WithName("RemoveCitation")
            .WithSummary("Withdraw a citation (editor)")
            .WithDescription("The citation is kept in the claim's history, not deleted. Needs `If-Match` with the claim's ETag; " +
                             "returns the claim as it is after.")
            .RequireEditor()
            .ProducesChangeProblems();

        return app;
    }
}
