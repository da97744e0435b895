using EvidenceApi.Citations;
namespace EvidenceApi.Claims;

/// <summary>One health claim made by a source, anchored to its exact words.</summary>
/// <param name="Id">UUID version 7, stable forever.</param>
/// <param name="Source">The source the claim was pulled from.</param>
/// <param name="Quote">The exact words of the source that make the claim.</param>
/// <param name="Position">Offsets of the quote in the source text, in Unicode code points (W3C TextPositionSelector).</param>
/// <param name="Section">The heading of the section the quote stands under.</param>
/// <param name="Conditions">Condition slugs (see GET /v1/conditions).</param>
/// <param name="Cannabinoids">Intervention slugs: cannabinoids and cannabis-based products (see GET /v1/interventions).</param>
/// <param name="Routes">Routes of administration the claim names; empty when it names none.</param>
/// <param name="Population">Who the claim is about: a population slug (see GET /v1/populations).</param>
/// <param name="Comparator">What the claim compares with, a comparator slug (see GET /v1/comparators); null when it compares with nothing.</param>
/// <param name="Effect">The claimed effect as a short normalised phrase.</param>
/// <param name="Outcome">Outcome domain slug (see GET /v1/outcomes).</param>
/// <param name="Direction">Direction of the claimed effect.</param>
/// <param name="ClaimedStrength">How strongly the source words the claim.</param>
/// <param name="EvidenceLevel">Editors' grade of the cited evidence.</param>
/// <param name="Overclaim">True when the source words the claim more strongly than the graded evidence allows; null while unassessed.</param>
/// <param name="Citations">Citations editors attached. A claim with none is unsupported.</param>
/// <param name="Status">Derived: flagged, needs-citation or cited.</param>
/// <param name="OpenFlags">Number of open flags.</param>
/// <param name="Retired">True when an editor retired the claim; retired claims are hidden from lists unless asked for.</param>
/// <param name="RetiredReason">Why it was retired; null when it is not.</param>
/// <param name="Version">Increases with every change; the ETag is this number.</param>
/// <param name="CreatedAt">When the claim was created (UTC).</param>
/// <param name="UpdatedAt">When the claim last changed (UTC).</param>
public sealed record ClaimResponse(
    Guid Id,
    SourceReference Source,
    string Quote,
    TextPosition Position,
    string Section,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Cannabinoids,
    IReadOnlyList<AdministrationRoute> Routes,
    string Population,
    string? Comparator,
    string Effect,
    string Outcome,
    Direction Direction,
    ClaimedStrength ClaimedStrength,
    EvidenceLevel EvidenceLevel,
    bool? Overclaim,
    IReadOnlyList<CitationResponse> Citations,
    ClaimStatus Status,
    int OpenFlags,
    bool Retired,
    string? RetiredReason,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>The quote as W3C Web Annotation selectors (TextQuoteSelector and TextPositionSelector), for pages that highlight it.</summary>
    public IReadOnlyList<TextSelector> Selectors => [TextSelector.Quote(Quote), TextSelector.Position(Position)];
}

/// <summary>The source a claim quotes.</summary>
public sealed record SourceReference(Guid Id, string Title);

/// <summary>Start (inclusive) and end (exclusive) offsets in Unicode code points.</summary>
public sealed record TextPosition(int Start, int End);
