using System.Text.RegularExpressions;
using EvidenceApi.Claims;

namespace EvidenceApi.Citations;

/// <summary>Validates and normalises citation identifiers: a DOI without resolver prefix, a PMID's digits, an absolute http(s) URL.</summary>
public static partial class CitationIdentifiers
{
    // [0-9], not \d: \d takes any script's digits, which no DOI has
    [GeneratedRegex(@"^10\.[0-9]{4,9}/\S+$")]
    private static partial Regex Doi { get; }

    [GeneratedRegex(@"^[0-9]{1,9}$")]
    private static partial Regex Pmid { get; }

    private static readonly string[] DoiPrefixes = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"];

    public static string? Normalise(CitationKind kind, string identifier)
    {
        var value = identifier.Trim();
        switch (kind)
        {
            case CitationKind.Doi:
                foreach (var prefix in DoiPrefixes)
                    if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) value = value[prefix.Length..].Trim();
                return Doi.IsMatch(value) ? value : null;
            case CitationKind.Pmid:
                if (value.StartsWith("PMID:", StringComparison.OrdinalIgnoreCase)) value = value[5..].Trim();
                return Pmid.IsMatch(value) ? value.TrimStart('0') is { Length: > 0 } digits ? digits : null : null;
            case CitationKind.Url:
                return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                       && !string.IsNullOrEmpty(uri.Host) ? uri.AbsoluteUri : null;
            default:
                return null;
        }
    }

    public static string Expected(CitationKind kind) => kind switch
    {
        CitationKind.Doi => "a DOI such as 10.1000/xyz123 (a https://doi.org/ link is accepted)",
        CitationKind.Pmid => "a PubMed id: digits only",
        _ => "an absolute http(s) URL",
    };
}
