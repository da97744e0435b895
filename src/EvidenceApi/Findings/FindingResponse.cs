using EvidenceApi.Citations;
using EvidenceApi.Claims;

namespace EvidenceApi.Findings;

/// <summary>A conclusion of an evidence synthesis, structured with the vocabularies so claims can be checked against it.</summary>
/// <param name="Id">Finding id.</param>
/// <param name="Synthesis">The report or systematic review it comes from.</param>
/// <param name="Locator">Where in the synthesis: a conclusion number (`4-1`), or a review's section and outcome.</param>
/// <param name="Statement">The conclusion in the synthesis's own words.</param>
/// <param name="Conditions">Condition slugs it is about; empty when it is about an effect on anyone (most harms).</param>
/// <param name="Cannabinoids">Intervention slugs it is about.</param>
/// <param name="Population">Population slug (`unspecified` when the synthesis does not narrow it).</param>
/// <param name="Outcome">Outcome slug.</param>
/// <param name="Direction">What the statement says the intervention does: benefit, harm, no-effect or mixed.</param>
/// <param name="Level">The synthesis's own level of evidence for the statement, on its own scheme (nasem-2017 or grade).</param>
/// <param name="Note">Editors' note, e.g. what the evidence mostly consisted of.</param>
/// <param name="VerifiedIn">Where it was checked against the synthesis: public copies of it, by address or description.</param>
/// <param name="Retired">Retired findings are kept, hidden from lists and never suggested.</param>
/// <param name="RetiredReason">Why it was retired.</param>
/// <param name="Version">Version, for If-Match.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record FindingResponse(
    Guid Id,
    SynthesisResponse Synthesis,
    string Locator,
    string Statement,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Cannabinoids,
    string Population,
    string Outcome,
    Direction Direction,
    CitationGrade Level,
    string? Note,
    IReadOnlyList<string> VerifiedIn,
    bool Retired,
    string? RetiredReason,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>An evidence synthesis: a report or a systematic review.</summary>
/// <param name="Doi">Its DOI.</param>
/// <param name="Title">Its title.</param>
/// <param name="Year">Year of publication.</param>
public sealed record SynthesisResponse(string Doi, string Title, int Year);

/// <summary>One change to a finding.</summary>
/// <param name="Version">The finding's version after the change.</param>
/// <param name="Change">created, updated or retired.</param>
/// <param name="Editor">Name of the editor who made it; null for the shipped findings.</param>
/// <param name="ChangedAt">When (UTC).</param>
/// <param name="Finding">The finding as it was after the change.</param>
public sealed record FindingRevisionResponse(int Version, string Change, string? Editor, DateTime ChangedAt, FindingResponse Finding);
