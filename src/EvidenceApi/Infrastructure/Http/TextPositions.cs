using System.Text;

namespace EvidenceApi.Infrastructure;

/// <summary>Offsets counted in Unicode code points, as W3C TextPositionSelector counts them.</summary>
public static class TextPositions
{
    /// <summary>The text between code-point offsets [start, end), or null when they fall outside the text.</summary>
    public static string? Slice(string text, int start, int end)
    {
        if (start < 0 || end < start) return null;
        var startIndex = Utf16Index(text, start);
        var endIndex = startIndex is null ? null : Utf16Index(text, end);
        return endIndex is null ? null : text[startIndex!.Value..endIndex.Value];
    }

    public static int Length(string text) => text.EnumerateRunes().Count();

    private static int? Utf16Index(string text, int codePoints)
    {
        var index = 0;
        for (var seen = 0; seen < codePoints; seen++)
        {
            if (index >= text.Length) return null;
            index += Rune.GetRuneAt(text, index).Utf16SequenceLength;
        }
        return index;
    }
}
