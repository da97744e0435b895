namespace EvidenceApi.Vocabularies;

/// <summary>A term of a managed vocabulary.</summary>
/// <param name="Slug">Identifier used in claims and filters; never changes.</param>
/// <param name="Label">Human-readable name.</param>
/// <param name="Definition">What the term covers.</param>
/// <param name="Description">The same as `definition`; kept for clients written against the first version of the API.</param>
/// <param name="Synonyms">Other names for it, unique within the vocabulary; full-text search and candidate extraction use them.</param>
/// <param name="Codings">Codes of standard terminologies that mean this term (FHIR system URIs). Empty where none was verified.</param>
/// <param name="Broader">Slugs of the broader terms (a term may have several; they never form a cycle). For an
/// intervention product, its classes and its active constituents.</param>
/// <param name="Narrower">Slugs of the terms directly beneath this one.</param>
/// <param name="Retired">True once retired: still readable and still on the claims that carry it, but new claims and edits cannot use it.</param>
/// <param name="RetiredReason">Why it was retired; null when it is not.</param>
/// <param name="Version">Increases with every change to the term (the ETag is this number and a digest of `narrower`).</param>
/// <param name="UpdatedAt">When the term last changed (UTC).</param>
public sealed record TermResponse(
    string Slug,
    string Label,
    string Definition,
    string Description,
    IReadOnlyList<string> Synonyms,
    IReadOnlyList<Coding> Codings,
    IReadOnlyList<string> Broader,
    IReadOnlyList<string> Narrower,
    bool Retired,
    string? RetiredReason,
    int Version,
    DateTime UpdatedAt);

/// <summary>One revision of a term: the term as it was after the change.</summary>
/// <param name="Version">The term's version after the change.</param>
/// <param name="Change">created, updated or retired.</param>
/// <param name="Editor">Name of the editor who made it.</param>
/// <param name="ChangedAt">When (UTC).</param>
/// <param name="Term">The term after the change.</param>
public sealed record TermRevisionResponse(int Version, string Change, string? Editor, DateTime ChangedAt, TermResponse Term);

public static class TermETags
{
    /// <summary>
    /// The term's version, and a digest of its narrower terms: those change when another term names this one as broader,
    /// which is not a change to this term (no new version) but is a change to what GET shows.
    /// </summary>
    public static string Of(TermResponse term)
    {
        var narrower = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', term.Narrower)));
        return $"\"{term.Version}-{Convert.ToHexStringLower(narrower)[..8]}\"";
    }
}
