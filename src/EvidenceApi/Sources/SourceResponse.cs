using System.Text.Json;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.Sources;

/// <summary>What kind of publication a source is.</summary>
public enum SourceKind { News, Blog, Marketing, Review, Report, Other }

/// <summary>A source without its text, as lists show it.</summary>
/// <param name="Id">Source id.</param>
/// <param name="Title">Title of the document.</param>
/// <param name="Url">Where the document was published, when known (the server never fetches it).</param>
/// <param name="Doi">Its DOI, when it has one.</param>
/// <param name="Publisher">Who published it.</param>
/// <param name="Authors">Its authors, in the order it names them.</param>
/// <param name="PublishedOn">When it was published, when known.</param>
/// <param name="Kind">news, blog, marketing, review, report or other.</param>
/// <param name="Format">What its content was sent as: text, markdown or html (the stored text is always plain).</param>
/// <param name="Sha256">SHA-256 (hex) of the UTF-8 text, so a copy can be checked.</param>
/// <param name="Length">Length of the text in Unicode code points.</param>
/// <param name="ClaimCount">Number of claims (retired ones included) pulled from it.</param>
/// <param name="Retired">True once retired: its claims stay readable.</param>
/// <param name="RetiredReason">Why it was retired; null when it is not.</param>
/// <param name="Version">Increases with every change to its metadata.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
/// <param name="UpdatedAt">When its metadata last changed (UTC).</param>
public record SourceSummary(Guid Id, string Title, string? Url, string? Doi, string? Publisher, IReadOnlyList<string> Authors,
    DateOnly? PublishedOn, SourceKind Kind, SourceFormat Format, string Sha256, int Length, int ClaimCount, bool Retired,
    string? RetiredReason, int Version, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A source with its full text and sections, against which every quote can be checked.</summary>
public sealed record SourceResponse : SourceSummary
{
    public SourceResponse(SourceSummary summary, IReadOnlyList<SourceSection> sections, string text) : base(summary) =>
        (Sections, Text) = (sections, text);

    /// <summary>The headings of its text, with the code-point offsets each section spans.</summary>
    public IReadOnlyList<SourceSection> Sections { get; init; }

    /// <summary>The full text, normalised once (NFC, `\n` line endings) and never changed; claim positions are code-point offsets into it.</summary>
    public string Text { get; init; }
}

/// <summary>A source just added, and how many candidate claims extraction proposed from it.</summary>
public sealed record AddedSourceResponse : SourceSummary
{
    public AddedSourceResponse(SourceSummary summary, IReadOnlyList<SourceSection> sections, int candidateCount) : base(summary) =>
        (Sections, CandidateCount) = (sections, candidateCount);

    /// <summary>The headings of its text, with the code-point offsets each section spans.</summary>
    public IReadOnlyList<SourceSection> Sections { get; init; }

    /// <summary>Candidate claims proposed (GET /v1/sources/{id}/candidates).</summary>
    public int CandidateCount { get; init; }
}

internal sealed class SourceRow
{
    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string? Url { get; init; }
    public string? Doi { get; init; }
    public string? Publisher { get; init; }
    public string[] Authors { get; init; } = [];
    public DateTime? PublishedOn { get; init; }
    public string Kind { get; init; } = "other";
    public string Format { get; init; } = "text";
    public string Sha256 { get; init; } = "";
    public int Length { get; init; }
    public int ClaimCount { get; init; }
    public DateTime? RetiredAt { get; init; }
    public string? RetiredReason { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string Sections { get; init; } = "[]";
    public string? Text { get; init; }

    public SourceSummary ToSummary() => new(Id, Title, Url, Doi, Publisher, Authors,
        PublishedOn is null ? null : DateOnly.FromDateTime(PublishedOn.Value), Slugs.Parse<SourceKind>(Kind), Slugs.Parse<SourceFormat>(Format),
        Sha256, Length, ClaimCount, RetiredAt is not null, RetiredReason, Version, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));

    public IReadOnlyList<SourceSection> ToSections() => JsonSerializer.Deserialize<SourceSection[]>(Sections, ApiJson.Options) ?? [];
}
