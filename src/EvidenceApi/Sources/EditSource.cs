using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Sources;

/// <summary>Changes to a source's metadata: give only what changes (absent or null stays as it is). The text never changes.</summary>
/// <param name="Title">Title.</param>
/// <param name="Kind">news, blog, marketing, review, report or other.</param>
/// <param name="Url">Where it was published.</param>
/// <param name="Doi">Its DOI.</param>
/// <param name="Publisher">Who published it.</param>
/// <param name="Authors">Its authors (replaces the list).</param>
/// <param name="PublishedOn">When it was published.</param>
[RequestExample("""{ "publisher": "Example Health", "publishedOn": "2026-03-01" }""")]
public sealed record EditSourceRequest(string? Title = null, SourceKind? Kind = null, string? Url = null, string? Doi = null,
    string? Publisher = null, IReadOnlyList<string>? Authors = null, DateOnly? PublishedOn = null) : ISourceMetadata;

public sealed class EditSourceRequestValidator : AbstractValidator<EditSourceRequest>
{
    public EditSourceRequestValidator() => Include(new SourceMetadataValidator());
}

/// <summary>Why a source is retired.</summary>
/// <param name="Reason">Shown on the source and kept in its history.</param>
[RequestExample("""{ "reason": "A duplicate of another copy of the article." }""")]
public sealed record RetireSourceRequest(string Reason);

public sealed class RetireSourceRequestValidator : AbstractValidator<RetireSourceRequest>
{
    public RetireSourceRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

/// <summary>Changes to a source's metadata, in one transaction with If-Match (the ETag GET gave), a revision and Idempotency-Key.</summary>
public static class EditSource
{
    public static Task<Results<Ok<SourceSummary>, ProblemHttpResult>> HandleAsync(Guid id, EditSourceRequest request,
        NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
        ChangeAsync(http, dataSource, id, ct, async (connection, transaction) =>
        {
            if (request == new EditSourceRequest()) return null; // nothing to change: no new version
            await connection.ExecuteAsync(new CommandDefinition("""
                update sources
                set title = coalesce(@Title, title), kind = coalesce(@kind, kind), url = coalesce(@Url, url), doi = coalesce(@Doi, doi),
                    publisher = coalesce(@Publisher, publisher), authors = coalesce(@authors, authors),
                    published_on = coalesce(@publishedOn, published_on), version = version + 1, updated_at = clock_timestamp()
                where id = @id
                """, new
            {
                id,
                Title = request.Title?.Trim(),
                kind = request.Kind is null ? null : Slugs.Of(request.Kind.Value),
                request.Url,
                request.Doi,
                request.Publisher,
                authors = request.Authors?.ToArray(),
                publishedOn = request.PublishedOn?.ToDateTime(TimeOnly.MinValue),
            }, transaction, cancellationToken: ct));
            return (string?)"updated";
        });

    public static Task<Results<Ok<SourceSummary>, ProblemHttpResult>> RetireAsync(Guid id, RetireSourceRequest request,
        NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
        ChangeAsync(http, dataSource, id, ct, async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update sources set retired_at = clock_timestamp(), retired_reason = @Reason, version = version + 1, updated_at = clock_timestamp()
                where id = @id
                """, new { id, request.Reason }, transaction, cancellationToken: ct));
            return (string?)"retired";
        });

    private static async Task<Results<Ok<SourceSummary>, ProblemHttpResult>> ChangeAsync(HttpContext http, NpgsqlDataSource dataSource, Guid id,
        CancellationToken ct, Func<NpgsqlConnection, NpgsqlTransaction, Task<string?>> change)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await SourceStore.GetAsync(connection, id, true, ct, transaction, forUpdate: true);
        if (row is null) return Problems.NotFound($"There is no source {id}.");
        var etag = ETags.ForResponse(http, SourceEndpoints.ToResponse(row));
        var precondition = Preconditions.CheckIfMatch(http.Request, etag, "source");
        if (precondition is not null) return precondition;
        if (row.RetiredAt is not null) return Problems.Conflict("The source is retired.", "The source is retired; retired sources are kept as they were.");

        var kind = await change(connection, transaction);
        var source = kind is null ? row.ToSummary() : await SourceStore.RecordRevisionAsync(connection, transaction, id, kind, http.User.EditorId(), ct);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status200OK, source, new Dictionary<string, string>(), ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        return TypedResults.Ok(source);
    }
}
