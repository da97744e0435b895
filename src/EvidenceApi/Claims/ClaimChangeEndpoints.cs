using EvidenceApi.Infrastructure;

namespace EvidenceApi.Claims;

public static class ClaimChangeEndpoints
{
    /// <summary>What a change to an existing claim (see <see cref="ClaimChange"/>) can answer besides success.</summary>
    public static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new RequiresIfMatch())
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
