using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Findings;

public static class FindingEndpoints
{
    public static IServiceCollection AddFindings(this IServiceCollection services) =>
        services.AddSingleton<IDatabaseSeed, FindingSeeder>();

    public static IEndpointRouteBuilder MapFindings(this IEndpointRouteBuilder app)
    {
        var findings = app.MapGroup("/v1/findings").WithTags("Findings");

        findings.MapGet("/", ListFindings.HandleAsync)
            .WithName("ListFindings")
            .WithSummary("List findings")
            .WithDescription("Conclusions of evidence syntheses (the National Academies' 2017 report, systematic reviews), each with " +
                             "its synthesis's DOI, a locator, the statement, its structure and its level on the synthesis's own scheme. " +
                             "Filters as for claims; in the order they were added.")
            .Validate<ListFindingsQuery>();

        findings.MapGet("/{id}", GetAsync)
            .WithName("GetFinding")
            .WithSummary("Get one finding")
            .WithDescription("The ETag is the finding's version; send it in `If-Match` to change it.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        findings.MapGet("/{id}/history", HistoryAsync)
            .WithName("GetFindingHistory")
            .WithSummary("Every change to a finding")
            .WithDescription("Oldest first: who, when, what kind of change, and the finding as it was after it. Shipped findings start with `created` by no editor.")
            .Validate<PageQuery>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        findings.MapPost("/", FindingWrites.CreateAsync)
            .WithName("CreateFinding")
            .WithSummary("Add a finding (admin)")
            .WithDescription("Transcribe it from the synthesis itself. Terms must exist and not be retired (422); the same DOI and " +
                             "locator twice is 409.")
            .RequireAdmin()
            .Validate<CreateFindingRequest>()
            .Idempotent()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        findings.MapPatch("/{id}", FindingWrites.EditAsync)
            .WithName("EditFinding")
            .WithSummary("Change a finding (admin)")
            .WithDescription("Give only what changes. Needs `If-Match` with the finding's ETag (428 without, 412 stale).")
            .RequireAdmin()
            .Validate<EditFindingRequest>()
            .Idempotent()
            .ProducesChangeProblems()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        findings.MapPost("/{id}/retire", FindingWrites.RetireAsync)
            .WithName("RetireFinding")
            .WithSummary("Retire a finding (admin)")
            .WithDescription("It stays readable by id and on the citations made from it; it is no longer listed or suggested.")
            .RequireAdmin()
            .Validate<RetireFindingRequest>()
            .Idempotent()
            .ProducesChangeProblems();

        app.MapGet("/v1/claims/{id}/suggestions", Suggestions.HandleAsync)
            .WithTags("Findings")
            .WithName("SuggestFindings")
            .WithSummary("Findings that bear on a claim, best first")
            .WithDescription("Ranks the findings by how well they match the claim — conditions and cannabinoids through the " +
                             "hierarchies (a finding on chronic pain covers a claim on neuropathic pain), outcome, direction, " +
                             "population — says why each matches, the stance a citation of it would take, and what the claim's " +
                             "evidence level and `overclaim` would become if graded from it. Cite one with `findingId` " +
                             "(POST /v1/claims/{id}/citations).")
            .Validate<SuggestionsQuery>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<FindingResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(Guid id,
        NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var finding = await FindingStore.GetAsync(connection, id, ct);
        if (finding is null) return Problems.NotFound($"There is no finding {id}.");
        var etag = FindingWrites.ETagOf(finding);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = HttpCaching.ClaimCacheControl;
        return ETags.Matches(http.Request.Headers.IfNoneMatch, etag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(finding);
    }

    private static async Task<Results<CachedOk<Page<FindingRevisionResponse>>, ProblemHttpResult>> HistoryAsync(Guid id, [AsParameters] PageQuery page,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (!page.TryAfter("version", 1, k => PageCursor.IsInteger(k[0]), out var key)) return PageQuery.BadCursor();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await FindingStore.GetAsync(connection, id, ct) is null) return Problems.NotFound($"There is no finding {id}.");
        var rows = await FindingStore.HistoryAsync(connection, id, key?[0].GetInt32() ?? 0, page.PageSize + 1, ct);
        return Cached.Ok(Paging.Of(rows, page.PageSize, r => r, "version", r => [r.Version]));
    }
}
