using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace EvidenceApi.Infrastructure;

/// <summary>If-Match for changes to a versioned resource: required (428 without), strong comparison (412 when stale).</summary>
public static class Preconditions
{
    /// <summary>Null when the request may change a resource whose current ETag is <paramref name="currentEtag"/>;
    /// <paramref name="resource"/> names it in messages.</summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, string currentEtag, string resource)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header))
            return Problems.Of(ProblemKinds.PreconditionRequired,
                $"Send the {resource}'s current ETag in `If-Match` (GET it first), so that your change cannot overwrite one you have not seen.");

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags))
            return Problems.InvalidField("If-Match",
                $"`If-Match` must hold entity tags in double quotes, as the ETag header gives them (If-Match: {currentEtag}), not {header}.",
                "Malformed If-Match.");
        // `*` matches any version, which would turn lost-update protection off without anyone noticing.
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
            return Problems.Of(ProblemKinds.PreconditionRequired,
                $"`If-Match: *` is not accepted here: send the {resource}'s current ETag (now {currentEtag}), so that your change cannot overwrite one you have not seen.");

        var current = EntityTagHeaderValue.Parse(currentEtag);
        var matches = tags.Any(t => t.Compare(current, useStrongComparison: true));
        return matches ? null : Problems.Of(ProblemKinds.PreconditionFailed,
            $"The {resource} has changed since you read it (its ETag is now {currentEtag}). GET it again, re-apply your change, and send the new ETag in `If-Match`.",
            $"The {resource} has changed.", new Dictionary<string, object?> { ["currentETag"] = currentEtag });
    }

    /// <summary>What a change to an existing versioned resource (If-Match, a lock, a revision) can answer besides success.</summary>
    public static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new RequiresIfMatch())
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
