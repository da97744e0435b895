using Dapper;
using EvidenceApi.Candidates;
using EvidenceApi.Claims;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Sources;

/// <summary>Filters of the source list.</summary>
public sealed record ListSourcesQuery
{
    /// <summary>Kinds, comma-separated: news, blog, marketing, review, report, other.</summary>
    /// <example>blog</example>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }

    /// <summary>Only sources of this publisher (exact, case-insensitive).</summary>
    [FromQuery(Name = "publisher")]
    public string? Publisher { get; init; }

    /// <summary>Words to find in titles (PostgreSQL websearch syntax).</summary>
    /// <example>nerve pain</example>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Include retired sources (hidden by default).</summary>
    [FromQuery(Name = "includeRetired")]
    public bool? IncludeRetired { get; init; }

    /// <summary>Page size, 1–200 (default 100).</summary>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>Opaque cursor from `nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }
}

public sealed class ListSourcesQueryValidator : AbstractValidator<ListSourcesQuery>
{
    public ListSourcesQueryValidator()
    {
        RuleFor(q => q.Kind).MustBeValuesOf<ListSourcesQuery, SourceKind>();
        RuleFor(q => q.Publisher).MaximumLength(300);
        RuleFor(q => q.Q).MaximumLength(500).Must(q => q is null || !q.Any(char.IsControl)).WithMessage("The search may not contain control characters.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
    }
}

/// <summary>`state`, `limit` and `cursor` of a source's candidates.</summary>
public sealed record ListCandidatesQuery
{
    /// <summary>open, accepted or dismissed; all when absent.</summary>
    /// <example>open</example>
    [FromQuery(Name = "state")]
    public string? State { get; init; }

    /// <summary>Page size, 1–200 (default 100).</summary>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>Opaque cursor from `nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }
}

public sealed class ListCandidatesQueryValidator : AbstractValidator<ListCandidatesQuery>
{
    public ListCandidatesQueryValidator()
    {
        RuleFor(q => q.State).MustBeValuesOf<ListCandidatesQuery, CandidateState>().Must(s => s is null || !s.Contains(','))
            .WithMessage("One state.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
    }
}

/// <summary>What a re-run of extraction did.</summary>
/// <param name="Proposed">Candidates extraction proposes from the text with today's vocabularies.</param>
/// <param name="Added">Of those, the ones the source did not have (open, accepted or dismissed ones are never added twice).</param>
public sealed record ExtractionResponse(int Proposed, int Added);

public static class SourceEndpoints
{
    private const string Order = "created";

    // reading and extracting 2 MB of text takes seconds, not the milliseconds of every other request
    public const double IntakeSeconds = 20;
    private const string CandidateOrder = "position";

    public static IEndpointRouteBuilder MapSources(this IEndpointRouteBuilder app)
    {
        var sources = app.MapGroup("/v1/sources").WithTags("Sources");

        sources.MapGet("/", ListAsync)
            .WithName("ListSources")
            .WithSummary("List sources")
            .WithDescription("Oldest first, without their text. Filter by `kind`, `publisher` and words of the title (`q`).")
            .Validate<ListSourcesQuery>();

        sources.MapGet("/{id}", GetAsync)
            .WithName("GetSource")
            .WithSummary("Get one source with its full text and sections")
            .WithDescription("The ETag covers what the response shows; send it in `If-Match` to edit the source's metadata.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        sources.MapPost("/", AddSource.HandleAsync)
            .WithName("AddSource")
            .WithSummary("Add a source (editor)")
            .WithDescription("Stores the content's main text once, normalised (NFC, `\\n`), with its sections, and proposes its candidate " +
                             "claims. The same text again is 409 with the existing source's `Location`; content over 2 MB is 413; empty, " +
                             "binary or invalid UTF-8 content is 400. Nothing is stored on any error.")
            .RequireEditor()
            .Validate<AddSourceRequest>()
            .Idempotent()
            .WithMetadata(new RequestBodyLimit(8 * 1024 * 1024), new RequestDeadline(IntakeSeconds))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        sources.MapPatch("/{id}", EditSource.HandleAsync)
            .WithName("EditSource")
            .WithSummary("Edit a source's metadata (editor)")
            .WithDescription("Give only what changes. The text never changes. Needs `If-Match` with the source's ETag (428 without, 412 stale).")
            .Accepts<EditSourceRequest>("application/json", "application/merge-patch+json")
            .RequireEditor()
            .Validate<EditSourceRequest>()
            .Idempotent()
            .ProducesChangeProblems();

        sources.MapPost("/{id}/retire", EditSource.RetireAsync)
            .WithName("RetireSource")
            .WithSummary("Retire a source (editor)")
            .WithDescription("Hides it from the list; it and its claims stay readable. Needs `If-Match`.")
            .RequireEditor()
            .Validate<RetireSourceRequest>()
            .Idempotent()
            .ProducesChangeProblems();

        sources.MapGet("/{id}/candidates", ListCandidatesAsync)
            .WithName("ListCandidates")
            .WithSummary("A source's candidate claims")
            .WithDescription("In text order. `state` keeps open, accepted or dismissed ones.")
            .Validate<ListCandidatesQuery>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        sources.MapPost("/{id}/extract", ExtractAsync)
            .WithName("ExtractCandidates")
            .WithSummary("Propose candidates again (editor)")
            .WithDescription("Runs extraction on the source with the vocabularies as they are now; adds only the candidates it does not " +
                             "have (same span and outcome), whatever became of those. Deterministic: a second run adds nothing.")
            .RequireEditor()
            .Idempotent()
            .WithMetadata(new RequestDeadline(IntakeSeconds))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<CachedOk<Page<SourceSummary>>, ProblemHttpResult>> ListAsync([AsParameters] ListSourcesQuery query,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var page = new PageQuery { Limit = query.Limit, Cursor = query.Cursor };
        if (!page.TryAfter(Order, 2, k => PageCursor.IsTime(k[0]) && PageCursor.IsUuid(k[1]), out var key)) return PageQuery.BadCursor();
        var after = key is null ? null : new { createdAt = key[0].GetDateTime().ToUniversalTime(), id = key[1].GetGuid() };
        var tests = new List<string>();
        if (query.IncludeRetired != true) tests.Add("s.retired_at is null");
        if (query.Kind is not null) tests.Add("s.kind = any(@kinds)");
        if (!string.IsNullOrWhiteSpace(query.Publisher)) tests.Add("lower(s.publisher) = lower(@publisher)");
        if (!string.IsNullOrWhiteSpace(query.Q)) tests.Add("to_tsvector('english', s.title) @@ websearch_to_tsquery('english', @q)");
        if (after is not null) tests.Add("(s.created_at, s.id) > (@createdAt, @id)");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<SourceRow>(new CommandDefinition($"""
            select {SourceStore.SummaryColumns} from sources s
            where {string.Join(" and ", tests.DefaultIfEmpty("true"))}
            order by s.created_at, s.id
            limit @fetch
            """, new
        {
            kinds = CommaList.Split(query.Kind),
            publisher = query.Publisher?.Trim(),
            q = query.Q?.Trim(),
            after?.createdAt,
            after?.id,
            fetch = page.PageSize + 1,
        }, cancellationToken: ct))).Select(r => r.ToSummary()).ToList();
        return Cached.Ok(Paging.Of(rows, page.PageSize, s => s, Order, s => [s.CreatedAt, s.Id]));
    }

    private static async Task<Results<CachedOk<SourceResponse>, ProblemHttpResult>> GetAsync(Guid id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await SourceStore.GetAsync(connection, id, true, ct);
        return row is null ? Problems.NotFound($"There is no source {id}.") : Cached.Ok(ToResponse(row), HttpCaching.ClaimCacheControl);
    }

    internal static SourceResponse ToResponse(SourceRow row) => new(row.ToSummary(), row.ToSections(), row.Text!);

    private static async Task<Results<CachedOk<Page<CandidateResponse>>, ProblemHttpResult>> ListCandidatesAsync(Guid id,
        [AsParameters] ListCandidatesQuery query, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var page = new PageQuery { Limit = query.Limit, Cursor = query.Cursor };
        // the order names the source and the state, so that a cursor of one list means nothing to another
        var order = $"{CandidateOrder}:{id}:{query.State}";
        if (!page.TryAfter(order, 2, k => PageCursor.IsInteger(k[0]) && k[0].GetInt32() >= 0 && PageCursor.IsUuid(k[1]), out var key))
            return PageQuery.BadCursor();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await SourceStore.GetAsync(connection, id, false, ct) is null) return Problems.NotFound($"There is no source {id}.");
        var rows = await CandidateStore.ListAsync(connection, id, query.State,
            key is null ? null : (key[0].GetInt32(), key[1].GetGuid()), page.PageSize + 1, ct);
        return Cached.Ok(Paging.Of(rows, page.PageSize, c => c, order, c => [c.Position.Start, c.Id]));
    }

    private static async Task<Results<Ok<ExtractionResponse>, ProblemHttpResult>> ExtractAsync(Guid id, NpgsqlDataSource dataSource,
        VocabularyCache vocabularies, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var extractor = ClaimExtractor.For(await vocabularies.GetAsync(connection, ct));
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await SourceStore.GetAsync(connection, id, true, ct, transaction, forUpdate: true);
        if (row is null) return Problems.NotFound($"There is no source {id}.");
        if (row.RetiredAt is not null) return Problems.Conflict("The source is retired.", "A retired source takes no new candidates.");
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(IntakeSeconds));
        var proposed = extractor.Extract(new SourceDocument(row.Text!, row.ToSections()), budget.Token);
        var added = await CandidateStore.InsertAsync(connection, transaction, id, proposed, ct);
        var response = new ExtractionResponse(proposed.Count, added);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status200OK, response, new Dictionary<string, string>(), ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        return TypedResults.Ok(response);
    }
}
