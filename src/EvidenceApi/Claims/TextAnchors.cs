using System.Text;
using System.Text.Json.Serialization;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.Claims;

/// <summary>
/// A W3C Web Annotation selector of a quote: a `TextQuoteSelector` (the exact words, and optionally a few words before
/// and after them) or a `TextPositionSelector` (code-point offsets). Hypothesis-style clients send and read the same.
/// </summary>
/// <param name="Type">TextQuoteSelector or TextPositionSelector.</param>
/// <param name="Exact">TextQuoteSelector: the quoted words.</param>
/// <param name="Prefix">TextQuoteSelector: words just before them, to tell apart repeated quotes.</param>
/// <param name="Suffix">TextQuoteSelector: words just after them.</param>
/// <param name="Start">TextPositionSelector: code-point offset where the quote starts.</param>
/// <param name="End">TextPositionSelector: code-point offset where it ends (exclusive).</param>
public sealed record TextSelector(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Exact = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prefix = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Suffix = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Start = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? End = null)
{
    public const string QuoteType = "TextQuoteSelector";
    public const string PositionType = "TextPositionSelector";

    public static TextSelector Quote(string exact) => new(QuoteType, Exact: exact);
    public static TextSelector Position(TextPosition position) => new(PositionType, Start: position.Start, End: position.End);
}

/// <summary>Where a quote may be: its offsets and a little of the text around it.</summary>
/// <param name="Start">Code-point offset where it starts.</param>
/// <param name="End">Code-point offset where it ends.</param>
/// <param name="Context">The quote with up to 40 characters either side.</param>
public sealed record AnchorCandidate(int Start, int End, string Context);

/// <summary>
/// Finds a quote in a source's text from its selectors. Matching tolerates typography: curly and straight quotes,
/// dashes and hyphens, and runs of whitespace compare equal. The quote a claim stores is always the source's exact slice.
/// </summary>
public static class TextAnchors
{
    public sealed record Anchor(string Quote, TextPosition Position);

    /// <summary>The one place the selectors point to, or the candidates when they point to none or several.</summary>
    public static (Anchor? Found, IReadOnlyList<AnchorCandidate> Candidates) Resolve(string text, IReadOnlyList<TextSelector> selectors)
    {
        var quote = selectors.FirstOrDefault(s => s.Type == TextSelector.QuoteType);
        var position = selectors.FirstOrDefault(s => s.Type == TextSelector.PositionType);
        var runes = text.EnumerateRunes().ToArray();
        if (quote is null)
        {
            var (start, end) = (position!.Start!.Value, position.End!.Value);
            return end <= runes.Length ? (new Anchor(Slice(runes, start, end), new TextPosition(start, end)), []) : (null, []);
        }

        var (normalised, map) = Normalise(runes);
        // the source's text is in NFC: so must the words looked for be
        var exact = Normalise(quote.Exact!.Normalize().EnumerateRunes().ToArray()).Text.Trim();
        var prefix = quote.Prefix is null ? "" : Normalise(quote.Prefix.Normalize().EnumerateRunes().ToArray()).Text.TrimStart();
        var suffix = quote.Suffix is null ? "" : Normalise(quote.Suffix.Normalize().EnumerateRunes().ToArray()).Text.TrimEnd();
        var exactMatches = new List<(int Start, int End)>();
        var matches = new List<(int Start, int End)>();
        for (var at = exact.Length == 0 ? -1 : normalised.IndexOf(exact, StringComparison.Ordinal); at >= 0;
             at = normalised.IndexOf(exact, at + 1, StringComparison.Ordinal))
        {
            var found = (map[at], map[at + exact.Length - 1] + 1);
            exactMatches.Add(found);
            // compared in place: a quote that is in the text thousands of times must not copy the text each time
            var before = normalised.AsSpan(0, at).TrimEnd();
            var after = normalised.AsSpan(at + exact.Length).TrimStart();
            if (prefix.Length > 0 && !before.EndsWith(prefix.AsSpan().TrimEnd(), StringComparison.Ordinal)) continue;
            if (suffix.Length > 0 && !after.StartsWith(suffix.AsSpan().TrimStart(), StringComparison.Ordinal)) continue;
            matches.Add(found);
        }
        // a position given with a quote picks among the places the quote is: it must be one of them
        if (position is not null) matches = matches.Where(m => m.Start == position.Start && m.End == position.End).ToList();
        if (matches.Count == 1)
            return (new Anchor(Slice(runes, matches[0].Start, matches[0].End), new TextPosition(matches[0].Start, matches[0].End)), []);
        // none: the places the exact words alone are, so the client sees what its prefix, suffix or position missed
        var shown = matches.Count == 0 ? exactMatches : matches;
        return (null, shown.Take(20).Select(m => new AnchorCandidate(m.Start, m.End, Context(runes, m.Start, m.End))).ToList());
    }

    private static string Slice(Rune[] runes, int start, int end) => string.Concat(runes[start..end].Select(r => r.ToString()));

    private static string Context(Rune[] runes, int start, int end) =>
        (start > 40 ? "…" : "") + Slice(runes, Math.Max(0, start - 40), Math.Min(runes.Length, end + 40)) + (end + 40 < runes.Length ? "…" : "");

    /// <summary>The text with typography folded, and for each of its UTF-16 units the code-point offset in the original it came from.</summary>
    private static (string Text, int[] Map) Normalise(Rune[] runes)
    {
        var text = new StringBuilder(runes.Length);
        var map = new List<int>(runes.Length);
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            string folded;
            if (Rune.IsWhiteSpace(rune))
            {
                if (text.Length > 0 && text[^1] == ' ') continue;
                folded = " ";
            }
            else folded = rune.Value switch
            {
                '‘' or '’' or '‚' or '‛' or '′' or '`' => "'",
                '“' or '”' or '„' or '‟' or '″' or '«' or '»' => "\"",
                '–' or '—' or '‒' or '―' or '−' or '‐' or '‑' => "-",
                _ => rune.ToString(),
            };
            text.Append(folded);
            for (var unit = 0; unit < folded.Length; unit++) map.Add(i);
        }
        return (text.ToString(), [.. map]);
    }
}
