using System.Text.RegularExpressions;

namespace EvidenceApi.Vocabularies;

/// <summary>A code of a standard terminology that means the term (FHIR Coding).</summary>
/// <param name="System">The code system's URI, as FHIR names it.</param>
/// <param name="Code">The code, in the system's own format.</param>
/// <param name="Display">The system's name for the concept.</param>
public sealed record Coding(string System, string Code, string? Display = null);

/// <summary>A code system a term may be coded in: its FHIR URI, its short prefix in filters (`mesh:D005356`) and its code format.</summary>
public sealed record CodeSystem(string Prefix, string Uri, string Name, string FormatDescription, Func<string, bool> IsValid);

public static partial class CodeSystems
{
    public static readonly IReadOnlyList<CodeSystem> All =
    [
        new("mesh", "http://id.nlm.nih.gov/mesh", "MeSH", "a descriptor (D and 6 or 9 digits) or supplementary concept (C and 6 or 9 digits) unique ID",
            code => MeshId.IsMatch(code)),
        new("snomed", "http://snomed.info/sct", "SNOMED CT", "a concept id: 6–18 digits, partition 00 or 10, Verhoeff check digit",
            IsSnomedConceptId),
        new("icd11", "http://id.who.int/icd/release/11/mms", "ICD-11 MMS", "a stem code such as 8E43 or MG30.0 (no I or O)",
            code => Icd11Code.IsMatch(code)),
        new("atc", "http://www.whocc.no/atc", "ATC", "a code of level 1 to 5, e.g. N, N02, N02B, N02BG, N02BG10",
            code => AtcCode.IsMatch(code)),
        new("rxnorm", "http://www.nlm.nih.gov/research/umls/rxnorm", "RxNorm", "an RxCUI: 1 to 8 digits",
            code => RxCui.IsMatch(code)),
        new("chebi", "http://purl.obolibrary.org/obo/chebi", "ChEBI", "CHEBI: and digits",
            code => ChebiId.IsMatch(code)),
        new("unii", "http://fdasis.nlm.nih.gov", "UNII", "10 upper-case letters and digits",
            code => Unii.IsMatch(code)),
    ];

    public static CodeSystem? ByUri(string uri) => All.FirstOrDefault(s => s.Uri == uri);
    public static CodeSystem? ByPrefix(string prefix) => All.FirstOrDefault(s => s.Prefix == prefix);

    /// <summary>Why <paramref name="coding"/> is not valid, or null when it is.</summary>
    public static string? Problem(Coding coding)
    {
        var system = ByUri(coding.System ?? "");
        if (system is null)
            return $"'{coding.System}' is not a code system this catalogue knows. Known: {string.Join(", ", All.Select(s => s.Uri))}.";
        if (string.IsNullOrEmpty(coding.Code) || !system.IsValid(coding.Code))
            return $"'{coding.Code}' is not a valid {system.Name} code: expected {system.FormatDescription}.";
        return null;
    }

    /// <summary>A filter value `prefix:code` (e.g. `mesh:D005356`) as system and code; false for a plain slug.</summary>
    public static bool TryParseReference(string value, out CodeSystem system, out string code)
    {
        system = null!;
        code = "";
        var colon = value.IndexOf(':');
        if (colon <= 0) return false;
        var found = ByPrefix(value[..colon].ToLowerInvariant());
        if (found is null) return false;
        (system, code) = (found, value[(colon + 1)..]);
        return true;
    }

    /// <summary>
    /// SNOMED CT identifier rules: the last digit is a Verhoeff check digit over the others, and the two digits before it
    /// are the partition identifier, which for a concept is 00 (short format) or 10 (long format, with a namespace).
    /// </summary>
    public static bool IsSnomedConceptId(string id)
    {
        if (id.Length is < 6 or > 18 || id[0] == '0' || !id.All(char.IsAsciiDigit)) return false;
        var partition = id[^3..^1];
        return partition is "00" or "10" && Verhoeff.IsValid(id);
    }

    [GeneratedRegex("^[DC]([0-9]{6}|[0-9]{9})$")]
    private static partial Regex MeshId { get; }

    [GeneratedRegex("^[1-9A-HJ-NP-Z][A-HJ-NP-Z][0-9][0-9A-HJ-NP-Z](\\.[0-9A-HJ-NP-Z]{1,2})?$")]
    private static partial Regex Icd11Code { get; }

    [GeneratedRegex("^[ABCDGHJLMNPRSV]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$")]
    private static partial Regex AtcCode { get; }

    [GeneratedRegex("^[1-9][0-9]{0,7}$")]
    private static partial Regex RxCui { get; }

    [GeneratedRegex("^CHEBI:[1-9][0-9]{0,8}$")]
    private static partial Regex ChebiId { get; }

    [GeneratedRegex("^[0-9A-Z]{10}$")]
    private static partial Regex Unii { get; }
}

/// <summary>The Verhoeff check-digit scheme (dihedral group D5), as SNOMED CT uses it.</summary>
public static class Verhoeff
{
    private static readonly int[,] Multiply =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly int[,] Permute =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    /// <summary>True when the last digit of <paramref name="digits"/> is the Verhoeff check digit of the rest.</summary>
    public static bool IsValid(string digits)
    {
        var check = 0;
        for (var i = 0; i < digits.Length; i++)
            check = Multiply[check, Permute[i % 8, digits[digits.Length - 1 - i] - '0']];
        return check == 0;
    }
}
