using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>A new claim pulled from a source.</summary>
/// <param name="SourceId">The source the quote is taken from.</param>
/// <param name="Quote">The exact words of the source; must equal the source text at `position`.</param>
/// <param name="Position">Code-point offsets of the quote in the source text.</param>
/// <param name="Section">The heading the quote stands under.</param>
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
      "quote": "Medical marijuana shows promise in alleviating various types of cancer-associated pain",
      "position": { "start": 13102, "end": 13188 },
      "section": "Cancer-Related Pain Relief",
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
    string Quote,
    TextPosition Position,
    string Section,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Cannabinoids,
    string Effect,
    string Outcome,
    Direction Direction,
    ClaimedStrength ClaimedStrength,
    IReadOnlyList<AdministrationRoute>? Routes = null,
    string Population = "unspecified",
    string? Comparator = null) : IClaimFields;

public sealed class CreateClaimRequestValidator : AbstractValidator<CreateClaimRequest>
{
    public CreateClaimRequestValidator()
    {
        RuleFor(c => c.SourceId).NotEmpty();
        Include(new ClaimFieldsValidator());
    }
}

public static class CreateClaim
{
    public static async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        CreateClaimRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var problem = await ClaimFieldChecks.CheckAsync(connection, transaction, request.SourceId, request, null, ct);
        if (problem is not null) return problem;

        var claim = await ClaimWriter.InsertAsync(connection, transaction, new NewClaim(request.SourceId, request.Quote,
            request.Position.Start, request.Position.End, request.Section, request.Conditions, request.Cannabinoids,
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
