using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace EvidenceApi.Infrastructure;

/// <summary>If-Match for changes to a versioned resource: required (428 without), strong comparison (412 when stale).</summary>
public static class Preconditions
{
    /// <summary>Null when the request may change a resource whose current ETag is <paramref name="currentEtag"/>.</summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, string currentEtag)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header))
            return Problems.Of(ProblemKinds.PreconditionRequired,
                "Send the claim's current ETag in `If-Match` (GET it first), so that your change cannot overwrite one you have not seen.");

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags))
            return Problems.InvalidField("If-Match",
                $"`If-Match` must hold entity tags in double quotes, as the ETag header gives them (If-Match: {currentEtag}), not {header}.",
                "Malformed If-Match.");
        // `*` matches any version, which would turn lost-update protection off without anyone noticing.
        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
            return Problems.Of(ProblemKinds.PreconditionRequired,
                $"`If-Match: *` is not accepted here: send the claim's current ETag (now {currentEtag}), so that your change cannot overwrite one you have not seen.");

        var current = EntityTagHeaderValue.Parse(currentEtag);
        var matches = tags.Any(t => t.Compare(current, useStrongComparison: true));
        return matches ? null : Problems.Of(ProblemKinds.PreconditionFailed,
            $"The claim has changed since you read it (its ETag is now {currentEtag}). GET it again, re-apply your change, and send the new ETag in `If-Match`.",
            "The claim has changed.", new Dictionary<string, object?> { ["currentETag"] = currentEtag });
    }
}
