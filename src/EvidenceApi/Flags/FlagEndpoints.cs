using EvidenceApi.Claims;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Flags;

public static class FlagEndpoints
{
    public static IEndpointRouteBuilder MapFlags(this IEndpointRouteBuilder app)
    {
        var flags = app.MapGroup("/v1/flags").WithTags("Flags");

        app.MapPost("/v1/claims/{id}/flags", RaiseFlag.HandleAsync)
            .WithName("RaiseFlag")
            .WithTags("Flags")
            .WithSummary("Flag a claim (editor)")
            .WithDescription("Marks the claim unsupported, overstated, contradicted, misquoted, outdated or other; its status " +
                             "becomes `flagged` until every flag is resolved. Needs `If-Match` with the claim's ETag.")
            .RequireEditor()
            .Validate<RaiseFlagRequest>()
            .Idempotent()
            .ProducesChangeProblems();


        flags.MapGet("/", ListFlags.HandleAsync)
            .WithName("ListFlags")
            .WithSummary("List flags")
            .WithDescription("Filter by `state`, `reason` and `claim`; keyset-paged with `cursor`.")
            .Validate<ListFlagsQuery>();

        flags.MapGet("/{id}", GetFlagAsync)
            .WithName("GetFlag")
            .WithSummary("Get one flag")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        flags.MapPost("/{id}/resolve", ResolveFlag.HandleAsync)
            .WithName("ResolveFlag")
            .WithSummary("Resolve a flag")
            .WithDescription("Closes an open flag as `fixed` or `dismissed`. Resolving changes the flagged claim's status, " +
                             "so `If-Match` must carry the claim's current ETag; the response's `Claim-ETag` is the claim's new one.")
            .RequireEditor()
            .Validate<ResolveFlagRequest>()
            .Idempotent()
            .ProducesChangeProblems();
        return app;
    }

    private static async Task<Results<CachedOk<FlagResponse>, ProblemHttpResult>> GetFlagAsync(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var flag = await FlagReader.GetAsync(connection, id, ct);
        return flag is null ? Problems.NotFound($"There is no flag {id}.") : Cached.Ok(flag, HttpCaching.ClaimCacheControl);
    }
}
