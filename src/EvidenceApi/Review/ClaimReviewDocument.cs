using System.Text.Json.Nodes;
using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Flags;
using EvidenceApi.Infrastructure;
using EvidenceApi.Sources;
using Npgsql;

namespace EvidenceApi.Review;

/// <summary>
/// A claim as a schema.org `ClaimReview` (JSON-LD), the form fact-checkers, search engines and mirrors read: the claim
/// reviewed (its quote), the item reviewed (a `Claim` with where it appeared and who made it), the verdict in words
/// (`reviewRating.alternateName`) and, once graded, on a 1–5 scale, and the catalogue as the review's author.
/// </summary>
public static class ClaimReviewDocument
{
    public const string MediaType = "application/ld+json";

    public static async Task<JsonObject> BuildAsync(NpgsqlConnection connection, ClaimResponse claim, string baseUrl, CancellationToken ct)
    {
        var source = (await SourceStore.GetAsync(connection, claim.Source.Id, false, ct))!.ToSummary();
        var openFlagReasons = (await connection.QueryAsync<string>(new CommandDefinition(
            "select reason from flags where claim_id = @Id and resolution is null order by raised_at", new { claim.Id }, cancellationToken: ct))).ToList();
        var (verdict, rating, explanation) = Verdict(claim, openFlagReasons);

        // who made the claim: the source's authors, else its publisher; nothing when the source names neither
        JsonNode? sourceAuthor = source.Authors.Count > 0
            ? new JsonArray(source.Authors.Select(a => (JsonNode)new JsonObject { ["@type"] = "Person", ["name"] = a }).ToArray())
            : source.Publisher is not null ? new JsonObject { ["@type"] = "Organization", ["name"] = source.Publisher } : null;
        var appearance = new JsonObject
        {
            ["@type"] = "CreativeWork",
            ["url"] = source.Url ?? $"{baseUrl}/v1/sources/{source.Id}",
            ["headline"] = source.Title,
        };
        if (source.PublishedOn is { } published) appearance["datePublished"] = published.ToString("yyyy-MM-dd");
        if (source.Publisher is not null) appearance["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = source.Publisher };

        var reviewRating = new JsonObject { ["@type"] = "Rating", ["alternateName"] = verdict, ["ratingExplanation"] = explanation };
        if (rating is not null)
        {
            reviewRating["ratingValue"] = rating;
            reviewRating["bestRating"] = 5;
            reviewRating["worstRating"] = 1;
        }
        var itemReviewed = new JsonObject
        {
            ["@type"] = "Claim",
            ["appearance"] = appearance,
            ["firstAppearance"] = appearance.DeepClone(),
        };
        if (sourceAuthor is not null) itemReviewed["author"] = sourceAuthor;
        if (source.PublishedOn is { } date) itemReviewed["datePublished"] = date.ToString("yyyy-MM-dd");

        return new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "ClaimReview",
            ["@id"] = $"{baseUrl}/v1/claims/{claim.Id}",
            ["url"] = $"{baseUrl}/review?source={claim.Source.Id}&claim={claim.Id}",
            ["claimReviewed"] = claim.Quote,
            ["itemReviewed"] = itemReviewed,
            ["reviewRating"] = reviewRating,
            ["author"] = new JsonObject { ["@type"] = "Organization", ["name"] = "EvidenceApi", ["url"] = baseUrl },
            ["datePublished"] = claim.CreatedAt.ToString("yyyy-MM-dd"),
            ["dateModified"] = claim.UpdatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["reviewBody"] = explanation,
        };
    }

    /// <summary>The verdict in words, a rating on 1–5 once the evidence is graded (null before), and why.</summary>
    public static (string Verdict, int? Rating, string Explanation) Verdict(ClaimResponse claim, IReadOnlyList<string> openFlagReasons)
    {
        var level = Slugs.Of(claim.EvidenceLevel);
        if (openFlagReasons.Contains(Slugs.Of(FlagReason.Unsupported)))
            return ("Unsupported", 1, "An editor has flagged the claim as unsupported by evidence.");
        if (openFlagReasons.Count > 0)
            return ($"Flagged: {openFlagReasons[0]}", null, $"An editor has flagged the claim as {openFlagReasons[0]}; the flag is open.");
        if (claim.Overclaim == true)
            return ("Overclaimed", 1, $"The source words the claim as {Slugs.Of(claim.ClaimedStrength)}, but the evidence for it is {level}.");
        if (claim.Citations.Count == 0)
            return ("Needs citation", null, "No evidence has been cited for the claim yet.");
        var supported = claim.Citations.Any(c => c.Stance == Citations.Stance.Supports);
        if (claim.Citations.Any(c => c.Stance == Citations.Stance.Refutes))
            return supported
                ? ("Mixed evidence", 2, "Some of the cited evidence supports the claim and some refutes it.")
                : ("Refuted by the cited evidence", 1, "The cited evidence refutes the claim; none supports it.");
        return claim.EvidenceLevel switch
        {
            EvidenceLevel.Unassessed => ("Cited, not yet graded", null, "Evidence is cited; an editor has not yet graded it."),
            EvidenceLevel.Insufficient => ("Evidence insufficient", 1, "The cited evidence is insufficient to support or refute the claim, which the source words only speculatively."),
            _ => ($"Supported at level {level}", claim.EvidenceLevel switch
            {
                EvidenceLevel.Conclusive => 5,
                EvidenceLevel.Substantial => 4,
                EvidenceLevel.Moderate => 3,
                _ => 2,
            }, $"The cited evidence is {level} on the National Academies (2017) scale, and the source's wording does not overstate it."),
        };
    }

    /// <summary>True when the request's `Accept` prefers JSON-LD to plain JSON (which `*/*` and `application/*` also name);
    /// a quality that is not a number from 0 to 1 counts as 0.</summary>
    public static bool IsPreferred(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return false;
        static double QualityOf(Microsoft.Net.Http.Headers.MediaTypeHeaderValue a) =>
            a.Parameters.Any(p => p.Name.Equals("q", StringComparison.OrdinalIgnoreCase)) ? a.Quality is >= 0 and <= 1 ? a.Quality.Value : 0 : 1;
        double Quality(params string[] mediaTypes) => accepted
            .Where(a => mediaTypes.Any(m => a.MediaType.Equals(m, StringComparison.OrdinalIgnoreCase)))
            .Select(QualityOf).DefaultIfEmpty(-1).Max();
        var ld = Quality(MediaType);
        return ld > 0 && ld >= Quality("application/json", "application/*", "*/*");
    }

    /// <summary>The address links in a ClaimReview start with: `PublicBaseUrl` when set (recommended: a Host header is the
    /// client's to choose), else the request's own scheme and host.</summary>
    public static string BaseUrl(HttpContext http) =>
        http.RequestServices.GetRequiredService<IConfiguration>()["PublicBaseUrl"]?.TrimEnd('/') is { Length: > 0 } configured
            ? configured
            : $"{http.Request.Scheme}://{http.Request.Host}";
}
