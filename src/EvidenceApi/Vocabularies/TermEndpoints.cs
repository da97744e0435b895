using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>`match`, `includeRetired`, `limit` and `cursor` of a term list.</summary>
public sealed record ListTermsQuery
{
    /// <summary>Only terms whose slug, label or a synonym contains this text (case-insensitive).</summary>
    /// <example>nerve pain</example>
    [FromQuery(Name = "match")]
    public string? Match { get; init; }

    /// <summary>Include retired terms (hidden by default; still readable by slug).</summary>
    /// <example>false</example>
    [FromQuery(Name = "includeRetired")]
    public bool? IncludeRetired { get; init; }

    /// <summary>Page size, 1–200 (default 100).</summary>
    /// <example>100</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>Opaque cursor from `nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }
}

public sealed class ListTermsQueryValidator : AbstractValidator<ListTermsQuery>
{
    public ListTermsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(q => q.Match).MaximumLength(200)
            .Must(m => m is null || !m.Any(char.IsControl)).WithMessage("`match` may not contain control characters.");
    }
}

public static class TermEndpoints
{
    public static IServiceCollection AddVocabularies(this IServiceCollection services) => services
        .AddSingleton<VocabularyCache>()
        .AddSingleton<IDatabaseSeed, ShippedTermHistory>();

    public static IEndpointRouteBuilder MapVocabularies(this IEndpointRouteBuilder app)
    {
        foreach (var vocabulary in Vocabulary.All) Map(app, vocabulary);

        // the first version of the API named interventions cannabinoids: its reads still answer there
        var cannabinoids = app.MapGroup("/v1/cannabinoids").WithTags("Vocabularies");
        cannabinoids.MapGet("/", ([AsParameters] ListTermsQuery query, NpgsqlDataSource dataSource, CancellationToken ct) =>
                ListAsync(Vocabulary.Interventions, query, dataSource, ct))
            .WithName("ListCannabinoids")
            .WithSummary("List interventions (former name)")
            .WithDescription("The same as GET /v1/interventions, under the name the first version of the API used.")
            .Validate<ListTermsQuery>();
        cannabinoids.MapGet("/{slug}", GetAsync(Vocabulary.Interventions))
            .WithName("GetCannabinoid")
            .WithSummary("Get one intervention (former name)")
            .WithDescription("The same as GET /v1/interventions/{slug}.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, Vocabulary vocabulary)
    {
        var (one, all) = (vocabulary.WithArticle, vocabulary.Name);
        var terms = app.MapGroup($"/v1/{all}").WithTags("Vocabularies");

        terms.MapGet("/", ([AsParameters] ListTermsQuery query, NpgsqlDataSource dataSource, CancellationToken ct) =>
                ListAsync(vocabulary, query, dataSource, ct))
            .WithName($"List{vocabulary.NameTitle}")
            .WithSummary($"List {all}")
            .WithDescription($"By slug. `match` finds terms by label or synonym (`?match=nerve pain`). Filter claims with `{vocabulary.ClaimField}=` " +
                             (vocabulary.Hierarchical ? "and `includeNarrower=true` to include every narrower term." : "."))
            .Validate<ListTermsQuery>();

        terms.MapGet("/{slug}", GetAsync(vocabulary))
            .WithName($"Get{vocabulary.SingularTitle}")
            .WithSummary($"Get one {vocabulary.Singular}")
            .WithDescription("Retired terms stay readable. The ETag is the term's version and a digest of its narrower terms: send it in `If-Match` to change the term.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        terms.MapGet("/{slug}/history", HistoryAsync(vocabulary))
            .WithName($"Get{vocabulary.SingularTitle}History")
            .WithSummary($"{char.ToUpperInvariant(one[0])}{one[1..]}'s revisions")
            .WithDescription("Every change made to the term through the API, oldest first: who, when, and the term as it was after.")
            .Validate<PageQuery>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        terms.MapPost("/", (CreateTermRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                TermWrites.CreateAsync(http, dataSource, vocabulary, request, ct))
            .WithName($"Create{vocabulary.SingularTitle}")
            .WithSummary($"Add {one} (admin)")
            .WithDescription("409 when the slug exists or a synonym names another term; 422 when a coding is not valid for its system " +
                             "or a broader term is unknown, retired or would make a cycle.")
            .RequireAdmin()
            .Validate<CreateTermRequest>()
            .Idempotent()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        terms.MapPatch("/{slug}", (string slug, UpdateTermRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                TermWrites.UpdateAsync(http, dataSource, vocabulary, slug, request, ct))
            .WithName($"Update{vocabulary.SingularTitle}")
            .WithSummary($"Edit {one} (admin)")
            .WithDescription("Give only what changes (a field absent or null stays as it is); a list replaces the list. The slug never changes. Needs `If-Match` with the term's " +
                             "ETag (428 without, 412 when stale). Same rules as create (409, 422).")
            .Accepts<UpdateTermRequest>("application/json", "application/merge-patch+json")
            .RequireAdmin()
            .Validate<UpdateTermRequest>()
            .Idempotent()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesChangeProblems();

        terms.MapPost("/{slug}/retire", (string slug, RetireTermRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
                TermWrites.RetireAsync(http, dataSource, vocabulary, slug, request, ct))
            .WithName($"Retire{vocabulary.SingularTitle}")
            .WithSummary($"Retire {one} (admin)")
            .WithDescription("The term stays readable and stays on the claims that carry it; new claims and edits cannot use it (422). Needs `If-Match`.")
            .RequireAdmin()
            .Validate<RetireTermRequest>()
            .Idempotent()
            .ProducesChangeProblems();
    }

    private static async Task<Results<CachedOk<Page<TermResponse>>, ProblemHttpResult>> ListAsync(Vocabulary vocabulary, ListTermsQuery query,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var page = new PageQuery { Limit = query.Limit, Cursor = query.Cursor };
        // the order names the vocabulary, so that a cursor of one list means nothing to another
        var order = vocabulary.Name;
        if (!page.TryAfter(order, 1, k => PageCursor.IsText(k[0]), out var key)) return PageQuery.BadCursor();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await TermStore.ListAsync(connection, vocabulary, string.IsNullOrWhiteSpace(query.Match) ? null : query.Match.Trim(),
            query.IncludeRetired ?? false, key?[0].GetString(), page.PageSize + 1, ct);
        return Cached.Ok(Paging.Of(rows, page.PageSize, t => t, order, t => [t.Slug]));
    }

    private static Func<string, NpgsqlDataSource, HttpContext, CancellationToken, Task<Results<Ok<TermResponse>, StatusCodeHttpResult, ProblemHttpResult>>>
        GetAsync(Vocabulary vocabulary) => async (slug, dataSource, http, ct) =>
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var term = await TermStore.GetAsync(connection, vocabulary, slug, ct);
        if (term is null) return Problems.NotFound($"There is no {vocabulary.Singular} '{slug}'; see GET /v1/{vocabulary.Name}.");
        var etag = TermETags.Of(term);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = HttpCaching.ListCacheControl;
        if (ETags.Matches(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(term);
    };

    private static Func<string, PageQuery, NpgsqlDataSource, CancellationToken, Task<Results<CachedOk<Page<TermRevisionResponse>>, ProblemHttpResult>>>
        HistoryAsync(Vocabulary vocabulary) => async (slug, [AsParameters] page, dataSource, ct) =>
    {
        if (!page.TryAfter("version", 1, k => PageCursor.IsInteger(k[0]), out var key)) return PageQuery.BadCursor();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await TermStore.GetAsync(connection, vocabulary, slug, ct) is null)
            return Problems.NotFound($"There is no {vocabulary.Singular} '{slug}'; see GET /v1/{vocabulary.Name}.");
        var rows = await TermStore.HistoryAsync(connection, vocabulary, slug, key?[0].GetInt32() ?? 0, page.PageSize + 1, ct);
        return Cached.Ok(Paging.Of(rows, page.PageSize, r => r, "version", r => [r.Version]));
    };
}
