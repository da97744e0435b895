namespace EvidenceApi.Claims;

/// <summary>One health claim made by a source, anchored to its exact words.</summary>
/// <param name="Id">UUID version 7, stable forever.</param>
/// <param name="Source">The source the claim was pulled from.</param>
/// <param name="Quote">The exact words of the source that make the claim.</param>
/// <param name="Position">Offsets of the quote in the source text, in Unicode code points (W3C TextPositionSelector).</param>
/// <param name="Section">The heading of the section the quote stands under.</param>
/// <param name="Conditions">Condition slugs (see GET /v1/conditions).</param>
/// <param name="Cannabinoids">Cannabinoid or product slugs (see GET /v1/cannabinoids).</param>
/// <param name="Routes">Routes of administration the claim names; empty when it names none.</param>
/// <param name="Population">Who the claim is about.</param>
/// <param name="Comparator">What the claim compares with; null when it compares with nothing.</param>
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
    Population Population,
    Comparator? Comparator,
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
    DateTime UpdatedAt);

/// <summary>The source a claim quotes.</summary>
public sealed record SourceReference(Guid Id, string Title);

/// <summary>Start (inclusive) and end (exclusive) offsets in Unicode code points.</summary>
public sealed record TextPosition(int Start, int End);

/// <summary>A citation attached to a claim.</summary>
/// <param name="Id">Citation id.</param>
/// <param name="Kind">Identifier kind: doi, pmid or url.</param>
/// <param name="Identifier">The normalised identifier (a DOI without its resolver prefix, a PMID's digits, an absolute URL).</param>
/// <param name="Title">Title of the cited work.</param>
/// <param name="Year">Year of publication.</param>
/// <param name="Stance">How the cited work bears on the claim: supports, refutes, mixed or background.</param>
/// <param name="Grade">The grade the cited work itself gives, when it gives one.</param>
/// <param name="Note">Editor's note.</param>
/// <param name="AddedBy">Name of the editor who added it.</param>
/// <param name="AddedAt">When it was added (UTC).</param>
public sealed record CitationResponse(
    Guid Id,
    CitationKind Kind,
    string Identifier,
    string Title,
    int Year,
    Stance Stance,
    CitationGrade? Grade,
    string? Note,
    string AddedBy,
    DateTime AddedAt);

/// <summary>A grade given by the cited work itself; reviews disagree, so grades belong to their source.</summary>
/// <param name="Scheme">nasem-2017 or grade.</param>
/// <param name="Value">For nasem-2017: conclusive, substantial, moderate, limited, insufficient; for grade: high, moderate, low, very-low.</param>
public sealed record CitationGrade(GradeScheme Scheme, string Value);

/// <summary>Kind of citation identifier.</summary>
public enum CitationKind { Doi, Pmid, Url }

/// <summary>How a cited work bears on the claim.</summary>
public enum Stance { Supports, Refutes, Mixed, Background }

/// <summary>Grading scheme a cited work uses.</summary>
public enum GradeScheme
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("nasem-2017")] Nasem2017,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("grade")] Grade,
}
