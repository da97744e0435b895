using Dapper;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Sources;

/// <summary>A document claims are pulled from.</summary>
/// <param name="Id">Source id.</param>
/// <param name="Title">Title of the document.</param>
/// <param name="Url">Where the document was published, when known.</param>
/// <param name="Sha256">SHA-256 (hex) of the UTF-8 text, so a copy can be checked.</param>
/// <param name="Length">Length of the text in Unicode code points.</param>
/// <param name="ClaimCount">Number of claims (retired ones included) pulled from it.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
public sealed record SourceSummary(Guid Id, string Title, string? Url, string Sha256, int Length, int ClaimCount, DateTime CreatedAt);

/// <summary>A source with its full text, against which every quote can be checked.</summary>
/// <param name="Id">Source id.</param>
/// <param name="Title">Title of the document.</param>
/// <param name="Url">Where the document was published, when known.</param>
/// <param name="Sha256">SHA-256 (hex) of the UTF-8 text.</param>
/// <param name="Length">Length of the text in Unicode code points.</param>
/// <param name="ClaimCount">Number of claims (retired ones included) pulled from it.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
/// <param name="Text">The full text; claim positions are code-point offsets into it.</param>
public sealed record SourceResponse(Guid Id, string Title, string? Url, string Sha256, int Length, int ClaimCount, DateTime CreatedAt, string Text);

public static class SourceEndpoints
{
    private const string SummaryColumns = """
        s.id, s.title, s.url, s.sha256, char_length(s.text) as length,
        (select count(*)::int from claims c where c.source_id = s.id) as claim_count, s.created_at
        """;

    public static IEndpointRouteBuilder MapSources(this IEndpointRouteBuilder app)
    {
        var sources = app.MapGroup("/v1/sources").WithTags("Sources");

        sources.MapGet("/", ListSourcesAsync)
            .WithName("ListSources")
            .WithSummary("List sources")
            .WithDescription("Every source, oldest first, without its text.")
            .Validate<PageQuery>();

        sources.MapGet("/{id}", GetSourceAsync)
            .WithName("GetSource")
            .WithSummary("Get one source with its full text")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private const string Order = "created";

    private static async Task<Results<CachedOk<Page<SourceSummary>>, ProblemHttpResult>> ListSourcesAsync([AsParameters] PageQuery page,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (!page.TryAfter(Order, 2, k => PageCursor.IsTime(k[0]) && PageCursor.IsUuid(k[1]), out var key)) return PageQuery.BadCursor();
        var after = key is null ? null : new { createdAt = key[0].GetDateTime().ToUniversalTime(), id = key[1].GetGuid() };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<SourceSummary>(new CommandDefinition($"""
            select {SummaryColumns} from sources s
            {(after is null ? "" : "where (s.created_at, s.id) > (@createdAt, @id)")}
            order by s.created_at, s.id
            limit @fetch
            """, new { after?.createdAt, after?.id, fetch = page.PageSize + 1 }, cancellationToken: ct))).ToList();
        return Cached.Ok(Paging.Of(rows, page.PageSize, s => s, Order, s => [s.CreatedAt, s.Id]));
    }

    private static async Task<Results<CachedOk<SourceResponse>, ProblemHttpResult>> GetSourceAsync(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var source = await connection.QuerySingleOrDefaultAsync<SourceResponse>(new CommandDefinition(
            $"select {SummaryColumns}, s.text from sources s where s.id = @id", new { id }, cancellationToken: ct));
        return source is null ? Problems.NotFound($"There is no source {id}.") : Cached.Ok(source, HttpCaching.ClaimCacheControl);
    }
}
