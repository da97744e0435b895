using System.Security.Cryptography;
using System.Text;
using Dapper;
using EvidenceApi.Candidates;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Sources;

/// <summary>A new source: its metadata and its content.</summary>
/// <param name="Title">Title of the document.</param>
/// <param name="Format">text, markdown or html. HTML and Markdown are reduced to their main text (no scripts, styles,
/// navigation, banners or comments); headings become sections.</param>
/// <param name="Content">The document, at most 2 MB of UTF-8. The server never fetches `url` itself.</param>
/// <param name="Kind">news, blog, marketing, review, report or other.</param>
/// <param name="Url">Where it was published.</param>
/// <param name="Doi">Its DOI (`10.NNNN/…`).</param>
/// <param name="Publisher">Who published it.</param>
/// <param name="Authors">Its authors.</param>
/// <param name="PublishedOn">When it was published (YYYY-MM-DD).</param>
[RequestExample("""
    {
      "title": "Cannabis for nerve pain: what the research says",
      "format": "html",
      "content": "<html><body><nav>Home | News</nav><article><h1>Cannabis for nerve pain</h1><p>Studies suggest that CBD may reduce nerve pain in adults.</p><h2>Side effects</h2><p>Smoking cannabis can cause dizziness.</p></article><footer>© 2026</footer></body></html>",
      "kind": "blog",
      "url": "https://example.org/cannabis-nerve-pain",
      "publisher": "Example Health",
      "authors": ["A. Writer"],
      "publishedOn": "2026-03-01"
    }
    """)]
public sealed record AddSourceRequest(string Title, SourceFormat Format, string Content, SourceKind Kind = SourceKind.Other, string? Url = null,
    string? Doi = null, string? Publisher = null, IReadOnlyList<string>? Authors = null, DateOnly? PublishedOn = null) : ISourceMetadata
{
    string? ISourceMetadata.Title => Title;
    SourceKind? ISourceMetadata.Kind => Kind;
}

public sealed class AddSourceRequestValidator : AbstractValidator<AddSourceRequest>
{
    public AddSourceRequestValidator()
    {
        RuleFor(s => s.Title).NotEmpty();
        RuleFor(s => s.Format).IsInEnum();
        RuleFor(s => s.Content).NotEmpty().WithMessage("The content is empty.")
            .Must(c => c is null || !c.Any(IsBinary)).WithMessage("The content is not text: it holds NUL or other control characters.");
        Include(new SourceMetadataValidator());
    }

    private static bool IsBinary(char c) => char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f');
}

public static class AddSource
{
    public const int MaxContentBytes = 2_000_000;

    public static async Task<Results<Created<AddedSourceResponse>, ProblemHttpResult>> HandleAsync(AddSourceRequest request,
        NpgsqlDataSource dataSource, VocabularyCache vocabularies, HttpContext http, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(request.Content) > MaxContentBytes)
            return Problems.Of(ProblemKinds.PayloadTooLarge, $"The content is over {MaxContentBytes:N0} bytes of UTF-8; nothing was stored.");
        var (document, problem) = SourceDocument.TryRead(request.Content, request.Format);
        if (document is null) return Problems.InvalidField("content", problem + " Nothing was stored.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // extraction is CPU work the request deadline cannot interrupt: it stops itself at the same time
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(SourceEndpoints.IntakeSeconds));
        var extracted = ClaimExtractor.For(await vocabularies.GetAsync(connection, ct)).Extract(document, budget.Token);

        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (id, response) = await StoreAsync(connection, transaction, request, document, extracted, http.User.EditorId(), ct);
        if (response is null)
        {
            http.Response.Headers.Location = $"/v1/sources/{id}";
            return Problems.Conflict("The source exists.", $"Source {id} has this very text; nothing was stored.");
        }

        var location = $"/v1/sources/{id}";
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status201Created, response,
            new Dictionary<string, string> { ["Location"] = location }, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        return TypedResults.Created(location, response);
    }

    /// <summary>
    /// Stores the source, its first revision and its candidates in the caller's transaction. When a source with the same
    /// text exists, stores nothing and answers its id with a null response.
    /// </summary>
    public static async Task<(Guid Id, AddedSourceResponse? Added)> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        AddSourceRequest request, SourceDocument document, IReadOnlyList<ProposedClaim> extracted, Guid? editorId, CancellationToken ct)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document.Text)));
        var id = Guid.CreateVersion7();
        // a concurrent add of the same text waits on the unique sha256, then inserts nothing
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into sources (id, title, url, text, sha256, kind, format, doi, publisher, authors, published_on, sections, added_by)
            values (@id, @Title, @Url, @text, @sha256, @kind, @format, @Doi, @Publisher, @authors, @publishedOn, @sections::jsonb, @editorId)
            on conflict (sha256) do nothing
            """, new
        {
            id,
            Title = request.Title.Trim(),
            request.Url,
            text = document.Text,
            sha256,
            kind = Slugs.Of(request.Kind),
            format = Slugs.Of(request.Format),
            request.Doi,
            request.Publisher,
            authors = request.Authors?.ToArray() ?? [],
            publishedOn = request.PublishedOn?.ToDateTime(TimeOnly.MinValue),
            sections = System.Text.Json.JsonSerializer.Serialize(document.Sections, ApiJson.Options),
            editorId,
        }, transaction, cancellationToken: ct));
        if (inserted == 0)
            return (await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                "select id from sources where sha256 = @sha256", new { sha256 }, transaction, cancellationToken: ct)), null);

        var candidates = await CandidateStore.InsertAsync(connection, transaction, id, extracted, ct);
        var source = await SourceStore.RecordRevisionAsync(connection, transaction, id, "created", editorId, ct);
        return (id, new AddedSourceResponse(source, document.Sections, candidates));
    }

    /// <summary>The format a file's extension says: .md, .markdown, .html, .htm, else plain text.</summary>
    public static SourceFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => SourceFormat.Markdown,
        ".html" or ".htm" => SourceFormat.Html,
        _ => SourceFormat.Text,
    };
}
