using System.Text.Json;
using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Candidates;

/// <summary>Corrections to a candidate as it becomes a claim: give only what differs from the proposal.</summary>
/// <param name="Conditions">Condition slugs.</param>
/// <param name="Cannabinoids">Intervention slugs.</param>
/// <param name="Routes">Routes.</param>
/// <param name="Population">Population slug.</param>
/// <param name="Comparator">Comparator slug.</param>
/// <param name="Effect">The claimed effect as a short phrase (default: one made from direction and outcome).</param>
/// <param name="Outcome">Outcome slug.</param>
/// <param name="Direction">Direction.</param>
/// <param name="ClaimedStrength">Claimed strength.</param>
[RequestExample("""{ "conditions": ["neuropathic-pain"], "effect": "reduces nerve pain" }""")]
public sealed record AcceptCandidateRequest(IReadOnlyList<string>? Conditions = null, IReadOnlyList<string>? Cannabinoids = null,
    IReadOnlyList<AdministrationRoute>? Routes = null, string? Population = null, string? Comparator = null, string? Effect = null,
    string? Outcome = null, Direction? Direction = null, ClaimedStrength? ClaimedStrength = null);

/// <summary>Why a candidate is not a claim.</summary>
/// <param name="Reason">not-a-claim, duplicate or out-of-scope.</param>
/// <param name="Note">What the editor wants others to know.</param>
[RequestExample("""{ "reason": "not-a-claim", "note": "Describes the law, not an effect." }""")]
public sealed record DismissCandidateRequest(DismissalReason Reason, string? Note = null);

public sealed class DismissCandidateRequestValidator : AbstractValidator<DismissCandidateRequest>
{
    public DismissCandidateRequestValidator()
    {
        RuleFor(d => d.Reason).IsInEnum();
        RuleFor(d => d.Note).MaximumLength(2000);
    }
}

public static class CandidateEndpoints
{
    public static IServiceCollection AddCandidates(this IServiceCollection services) => services.AddCorsExposedHeader(CandidateETag);

    public static IEndpointRouteBuilder MapCandidates(this IEndpointRouteBuilder app)
    {
        var candidates = app.MapGroup("/v1/candidates").WithTags("Candidates");

        candidates.MapGet("/{id}", GetAsync)
            .WithName("GetCandidate")
            .WithSummary("Get one candidate claim")
            .WithDescription("The ETag is the candidate's version; send it in `If-Match` to accept or dismiss it.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        candidates.MapPost("/{id}/accept", AcceptAsync)
            .WithName("AcceptCandidate")
            .WithSummary("Make a candidate a claim (editor)")
            .WithDescription("Creates the claim from the candidate, with the corrections given (a body of `{}` or none accepts it as " +
                             "proposed); the claim's first revision names the candidate. Needs `If-Match` with the candidate's ETag. " +
                             "A candidate already accepted or dismissed is 409; terms unknown or retired are 422.")
            .Accepts<AcceptCandidateRequest>("application/json")
            .RequireEditor()
            .Idempotent()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesChangeProblems();

        candidates.MapPost("/{id}/dismiss", DismissAsync)
            .WithName("DismissCandidate")
            .WithSummary("Dismiss a candidate (editor)")
            .WithDescription("With a reason: not-a-claim, duplicate, out-of-scope. Needs `If-Match`; a candidate no longer open is 409.")
            .RequireEditor()
            .Validate<DismissCandidateRequest>()
            .Idempotent()
            .ProducesChangeProblems();
        return app;
    }

    private static async Task<Results<Ok<CandidateResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(Guid id,
        NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var candidate = await CandidateStore.GetAsync(connection, id, ct);
        if (candidate is null) return Problems.NotFound($"There is no candidate {id}.");
        var etag = ETags.ForVersion(candidate.Version);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = HttpCaching.ClaimCacheControl;
        if (ETags.Matches(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(candidate);
    }

    private static async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> AcceptAsync(Guid id,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] AcceptCandidateRequest? request,
        NpgsqlDataSource dataSource, IValidator<IClaimFields> fieldsValidator, HttpContext http, CancellationToken ct)
    {
        var corrections = request ?? new AcceptCandidateRequest();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (candidate, refusal) = await LockOpenAsync(connection, transaction, id, http, ct);
        if (refusal is not null) return refusal;

        var claim = new NewClaim(candidate!.SourceId, candidate.Quote, candidate.Position.Start, candidate.Position.End, candidate.Section,
            corrections.Conditions ?? candidate.Conditions, corrections.Cannabinoids ?? candidate.Cannabinoids, corrections.Routes ?? candidate.Routes,
            corrections.Population ?? candidate.Population, corrections.Comparator ?? candidate.Comparator,
            corrections.Effect ?? CandidateEffects.Of(Slugs.Of(corrections.Direction ?? candidate.Direction), corrections.Outcome ?? candidate.Outcome),
            corrections.Outcome ?? candidate.Outcome, corrections.Direction ?? candidate.Direction, corrections.ClaimedStrength ?? candidate.ClaimedStrength);
        var fields = new CandidateClaimFields(claim);
        var shape = await fieldsValidator.ValidateAsync(fields, ct);
        if (!shape.IsValid) return Problems.Validation(shape.ToDictionary(), "The corrections are not valid.");
        var problem = await ClaimFieldChecks.CheckAsync(connection, transaction, claim.SourceId, fields, null, ct);
        if (problem is not null) return problem;

        var created = await ClaimWriter.InsertAsync(connection, transaction, claim, http.User.EditorId(), ct, new { candidate = id });
        await connection.ExecuteAsync(new CommandDefinition("""
            update candidates set state = 'accepted', claim_id = @claimId, version = version + 1, updated_at = clock_timestamp() where id = @id
            """, new { id, claimId = created.Id }, transaction, cancellationToken: ct));
        var accepted = await CandidateStore.RecordRevisionAsync(connection, transaction, id, "accepted", http.User.EditorId(), ct);

        var location = $"/v1/claims/{created.Id}";
        var headers = new Dictionary<string, string>
        {
            ["Location"] = location,
            ["ETag"] = ETags.ForVersion(created.Version),
            [CandidateETag] = ETags.ForVersion(accepted.Version),
        };
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status201Created, created, headers, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers.ETag = headers["ETag"];
        http.Response.Headers[CandidateETag] = headers[CandidateETag];
        return TypedResults.Created(location, created);
    }

    /// <summary>The candidate's new ETag, sent beside the claim an accept creates.</summary>
    public const string CandidateETag = "Candidate-ETag";

    private static async Task<Results<Ok<CandidateResponse>, ProblemHttpResult>> DismissAsync(Guid id, DismissCandidateRequest request,
        NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (_, refusal) = await LockOpenAsync(connection, transaction, id, http, ct);
        if (refusal is not null) return refusal;
        await connection.ExecuteAsync(new CommandDefinition("""
            update candidates set state = 'dismissed', dismissal = @reason, dismissal_note = @Note, version = version + 1,
                                  updated_at = clock_timestamp()
            where id = @id
            """, new { id, reason = Slugs.Of(request.Reason), request.Note }, transaction, cancellationToken: ct));
        var dismissed = await CandidateStore.RecordRevisionAsync(connection, transaction, id, "dismissed", http.User.EditorId(), ct);
        var etag = ETags.ForVersion(dismissed.Version);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status200OK, dismissed,
            new Dictionary<string, string> { ["ETag"] = etag }, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers.ETag = etag;
        return TypedResults.Ok(dismissed);
    }

    /// <summary>Locks the candidate; refuses when it does not exist (404), If-Match is missing or stale (428/412), or it is not open (409).</summary>
    private static async Task<(CandidateResponse?, ProblemHttpResult?)> LockOpenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid id, HttpContext http, CancellationToken ct)
    {
        var candidate = await CandidateStore.GetAsync(connection, id, ct, transaction, forUpdate: true);
        if (candidate is null) return (null, Problems.NotFound($"There is no candidate {id}."));
        var precondition = Preconditions.CheckIfMatch(http.Request, ETags.ForVersion(candidate.Version), "candidate");
        if (precondition is not null) return (null, precondition);
        if (candidate.State != CandidateState.Open)
            return (null, Problems.Conflict($"The candidate is {Slugs.Of(candidate.State)}.",
                candidate.ClaimId is { } claimId ? $"It became claim {claimId}." : "A dismissed candidate stays dismissed."));
        return (candidate, null);
    }

    private sealed record CandidateClaimFields(NewClaim Claim) : IClaimFields
    {
        public string Quote => Claim.Quote;
        public TextPosition Position => new(Claim.Start, Claim.End);
        public string Section => Claim.Section;
        public IReadOnlyList<string> Conditions => Claim.Conditions;
        public IReadOnlyList<string> Cannabinoids => Claim.Cannabinoids;
        public IReadOnlyList<AdministrationRoute>? Routes => Claim.Routes;
        public string Population => Claim.Population;
        public string? Comparator => Claim.Comparator;
        public string Effect => Claim.Effect;
        public string Outcome => Claim.Outcome;
        public Direction Direction => Claim.Direction;
        public ClaimedStrength ClaimedStrength => Claim.ClaimedStrength;
    }
}
