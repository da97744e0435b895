using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceApi.Infrastructure;

/// <summary>RFC 9457 problem results. They are written by the problem-details service, so each carries a traceId.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    /// <summary>400 with the errors of each field, as a validation problem.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = title });
}
