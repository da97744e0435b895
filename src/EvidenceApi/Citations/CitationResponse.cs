namespace EvidenceApi.Citations;

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
/// <param name="FindingId">The finding it was made from (GET /v1/findings/{id}), when it was.</param>
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
    DateTime AddedAt,
    Guid? FindingId = null);

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
