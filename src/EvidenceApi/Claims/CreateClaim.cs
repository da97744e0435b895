using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>A new claim pulled from a source. Anchor it by `selectors` (W3C Web Annotation: a TextQuoteSelector, a
/// TextPositionSelector, or both), or by `quote` and `position` as before.</summary>
/// <param name="SourceId">The source the quote is taken from.</param>
/// <param name="Selectors">Where the quote is: a TextQuoteSelector (`exact`, optional `prefix`/`suffix`) and/or a
/// TextPositionSelector (`start`, `end`). Typography (quotes, dashes, spaces) need not match; the stored quote is the source's own.</param>
/// <param name="Quote">The exact words of the source; must equal the source text at `position` (when no selectors are given).</param>
/// <param name="Position">Code-point offsets of the quote in the source text (when no selectors are given).</param>
/// <param name="Section">Ignored when the source knows its sections: the section is the heading the quote stands under.</param>
/// <param name="Conditions">One or more condition slugs.</param>
/// <param name="Cannabinoids">One or more intervention slugs (GET /v1/interventions).</param>
/// <param name="Effect">The claimed effect as a short normalised phrase.</param>
/// <param name="Outcome">Outcome slug.</param>
/// <param name="Direction">Direction of the claimed effect.</param>
/// <param name="ClaimedStrength">How strongly the source words it.</param>
/// <param name="Routes">Routes of administration the claim names.</param>
/// <param name="Population">Who the claim is about: a population slug (default `unspecified`).</param>
/// <param name="Comparator">What it is compared with, a comparator slug, if anything.</param>
[RequestExample("""
    {
      "sourceId": "01937f4e-6c1a-7b7e-9a51-2f0c8d3e4b21",
      "selectors": [
        { "type": "TextQuoteSelector", "exact": "Medical marijuana shows promise in alleviating various types of cancer-associated pain" }
      ],
      "conditions": ["cancer-pain"],
      "cannabinoids": ["whole-plant-cannabis"],
      "routes": [],
      "population": "cancer-patients",
      "comparator": null,
      "effect": "relieves cancer-related pain",
      "outcome": "pain",
      "direction": "benefit",
      "claimedStrength": "speculative"
    }
    """)]
public sealed record CreateClaimRequest(
    Guid SourceId,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Cannabinoids,
    string Effect,
    string Outcome,
    Direction Direction,
    ClaimedStrength ClaimedStrength,
    IReadOnlyList<TextSelector>? Selectors = null,
    string? Quote = null,
    TextPosition? Position = null,
    string? Section = null,
    IReadOnlyList<AdministrationRoute>? Routes = null,
    string Population = "unspecified",
    string? Comparator = null) : IClaimFields
{
    string IClaimFields.Quote => Quote!;
    TextPosition IClaimFields.Position => Position!;
    string IClaimFields.Section => Section ?? Sources.SourceDocument.FirstSection;
}

public sealed class CreateClaimRequestValidator : AbstractValidator<CreateClaimRequest>
{
    public CreateClaimRequestValidator()
    {
        RuleFor(c => c.SourceId).NotEmpty();
        RuleFor(c => c.Selectors).Null().When(c => c.Quote is not null || c.Position is not null)
            .WithMessage("Give `selectors`, or `quote` and `position`, not both.");
        RuleFor(c => c.Selectors).NotNull().When(c => c.Quote is null || c.Position is null)
            .WithMessage("Say where the quote is: `selectors` (a TextQuoteSelector and/or a TextPositionSelector), or `quote` and `position`.");
        RuleFor(c => c.Selectors).Must(s => s is null || (s.Count is >= 1 and <= 2 && s.DistinctBy(x => x?.Type).Count() == s.Count))
            .WithMessage("Give one TextQuoteSelector, one TextPositionSelector, or one of each.");
        RuleForEach(c => c.Selectors).Must(IsValid)
            .WithMessage("A TextQuoteSelector has `exact` (1–5000 characters; `prefix` and `suffix` at most 500); a TextPositionSelector " +
                         "has `start` ≥ 0 and `end` > `start`; `type` is one of the two.");
        Include(new ClaimFieldsValidator());
    }

    private static bool IsValid(TextSelector? selector) => selector switch
    {
        { Type: TextSelector.QuoteType, Exact.Length: >= 1 and <= ClaimFieldsValidator.MaxQuoteLength, Start: null, End: null }
            => (selector.Prefix?.Length ?? 0) <= 500 && (selector.Suffix?.Length ?? 0) <= 500 && selector.Exact.Trim().Length > 0,
        { Type: TextSelector.PositionType, Start: >= 0, End: not null, Exact: null, Prefix: null, Suffix: null } => selector.End > selector.Start,
        _ => false,
    };
}

public static class CreateClaim
{
    private static string AnchorFailure(IReadOnlyList<TextSelector> selectors, int places)
    {
        var quote = selectors.FirstOrDefault(s => s.Type == TextSelector.QuoteType);
        var narrowed = quote?.Prefix is not null || quote?.Suffix is not null || selectors.Any(s => s.Type == TextSelector.PositionType);
        return (quote, places, narrowed) switch
        {
            (null, _, _) => "The TextPositionSelector is outside the source's text.",
            (_, 0, _) => "The quote's words are nowhere in the source's text (quotes, dashes and spaces need not match; letters and case must).",
            (_, _, true) => $"The quote's words are in {places} places, but its prefix, suffix or position fits none of them just once: `candidates` lists them.",
            _ => $"The quote's words are in {places} places: add a `prefix` or `suffix`, or a TextPositionSelector, to say which (`candidates` lists them).",
        };
    }

    public static async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        CreateClaimRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // anchoring is work on the text alone: done before the transaction, which then holds nothing while it runs
        var source = await connection.QuerySingleOrDefaultAsync<(string Text, string Sections)>(new CommandDefinition(
            "select text, sections::text from sources where id = @SourceId", new { request.SourceId }, cancellationToken: ct));
        if (source.Text is not null && request.Selectors is not null)
        {
            var (anchor, candidates) = TextAnchors.Resolve(source.Text, request.Selectors);
            if (anchor is null)
                return Problems.Of(ProblemKinds.Unprocessable, AnchorFailure(request.Selectors, candidates.Count),
                    "The quote cannot be anchored.", new Dictionary<string, object?>
                    {
                        ["candidates"] = candidates,
                        ["errors"] = new Dictionary<string, string[]> { ["selectors"] = [candidates.Count == 0 ? "No match." : "Several matches."] },
                    });
            if (anchor.Quote.Length > ClaimFieldsValidator.MaxQuoteLength || anchor.Quote.Trim().Length == 0)
                return Problems.CannotProcess("The quote cannot be anchored.",
                    $"The selectors point to {anchor.Quote.Length:N0} characters{(anchor.Quote.Trim().Length == 0 ? " of white space" : "")}; a quote is words, at most {ClaimFieldsValidator.MaxQuoteLength:N0} characters.",
                    "selectors", "Not a quote.");
            request = request with { Quote = anchor.Quote, Position = anchor.Position };
        }
        // the section is the heading the quote stands under, when the source knows its headings
        var sections = source.Sections is null ? [] : System.Text.Json.JsonSerializer.Deserialize<Sources.SourceSection[]>(source.Sections, ApiJson.Options) ?? [];
        if (sections.Length > 0 && request.Position is not null)
            request = request with { Section = Sources.SourceDocument.SectionAt(sections, request.Position.Start) };

        await using var transaction = await connection.BeginTransactionAsync(ct);
        var problem = await ClaimFieldChecks.CheckAsync(connection, transaction, request.SourceId, request, null, ct);
        if (problem is not null) return problem;

        var fields = (IClaimFields)request;
        var claim = await ClaimWriter.InsertAsync(connection, transaction, new NewClaim(request.SourceId, fields.Quote,
            fields.Position.Start, fields.Position.End, fields.Section, request.Conditions, request.Cannabinoids,
            request.Routes ?? [], request.Population, request.Comparator, request.Effect, request.Outcome, request.Direction,
            request.ClaimedStrength), http.User.EditorId(), ct);

        var location = $"/v1/claims/{claim.Id}";
        var etag = ETags.ForVersion(claim.Version);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status201Created, claim,
            new Dictionary<string, string> { ["Location"] = location, ["ETag"] = etag }, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers.ETag = etag;
        return TypedResults.Created(location, claim);
    }
}
