using Dapper;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>A condition; conditions form a hierarchy.</summary>
/// <param name="Slug">Identifier used in claims and filters.</param>
/// <param name="Label">Human-readable name.</param>
/// <param name="Description">What the term covers.</param>
/// <param name="Parent">The broader condition, or null for a root.</param>
/// <param name="Narrower">Slugs of the conditions directly beneath this one.</param>
public sealed record ConditionResponse(string Slug, string Label, string Description, string? Parent, IReadOnlyList<string> Narrower);

/// <summary>A term of a flat vocabulary (cannabinoids, outcomes).</summary>
/// <param name="Slug">Identifier used in claims and filters.</param>
/// <param name="Label">Human-readable name.</param>
/// <param name="Description">What the term covers.</param>
public sealed record VocabularyTerm(string Slug, string Label, string Description);

public static class VocabularyEndpoints
{
    public static IServiceCollection AddVocabularies(this IServiceCollection services) => services.AddSingleton<VocabularyCache>();

    public static IEndpointRouteBuilder MapVocabularies(this IEndpointRouteBuilder app)
    {
        var vocabularies = app.MapGroup("/v1").WithTags("Vocabularies");

        vocabularies.MapGet("/conditions", ListConditionsAsync)
            .WithName("ListConditions")
            .WithSummary("List conditions")
            .WithDescription("Every condition with its place in the hierarchy, by slug. Filter claims with `condition=` and `includeNarrower=true`.")
            .Validate<PageQuery>();
        vocabularies.MapGet("/cannabinoids", ([AsParameters] PageQuery page, NpgsqlDataSource ds, CancellationToken ct) => ListTermsAsync(ds, "cannabinoids", page, ct))
            .WithName("ListCannabinoids")
            .WithSummary("List cannabinoids and cannabis products")
            .Validate<PageQuery>();
        vocabularies.MapGet("/outcomes", ([AsParameters] PageQuery page, NpgsqlDataSource ds, CancellationToken ct) => ListTermsAsync(ds, "outcomes", page, ct))
            .WithName("ListOutcomes")
            .WithSummary("List outcome domains")
            .Validate<PageQuery>();
        return app;
    }

    private static async Task<Results<CachedOk<Page<ConditionResponse>>, ProblemHttpResult>> ListConditionsAsync([AsParameters] PageQuery page, NpgsqlDataSource dataSource,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<(string Slug, string Label, string Description, string? ParentSlug)>(new CommandDefinition(
            "select slug, label, description, parent_slug from conditions order by slug", cancellationToken: ct))).ToList();
        var children = rows.Where(r => r.ParentSlug is not null).ToLookup(r => r.ParentSlug!, r => r.Slug);
        var slice = Paging.Slice(rows.Select(r => new ConditionResponse(r.Slug, r.Label, r.Description, r.ParentSlug, children[r.Slug].ToList())),
            page, "conditions", c => c.Slug);
        return slice is null ? PageQuery.BadCursor() : Cached.Ok(slice, HttpCaching.VocabularyCacheControl);
    }

    private static async Task<Results<CachedOk<Page<VocabularyTerm>>, ProblemHttpResult>> ListTermsAsync(NpgsqlDataSource dataSource, string table, PageQuery page,
        CancellationToken ct)
    {
        // table is one of two literals above, never request input
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var terms = await connection.QueryAsync<VocabularyTerm>(new CommandDefinition(
            $"select slug, label, description from {table} order by slug", cancellationToken: ct));
        var slice = Paging.Slice(terms, page, table, t => t.Slug);
        return slice is null ? PageQuery.BadCursor() : Cached.Ok(slice, HttpCaching.VocabularyCacheControl);
    }
}
