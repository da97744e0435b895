using System.Text;

namespace EvidenceApi.Candidates;

/// <summary>A sentence of a source's text, with its code-point offsets and the number of the line (paragraph) it is in.</summary>
public sealed record Sentence(string Text, int Start, int End, int Paragraph);

/// <summary>
/// Splits text into sentences: each line (a paragraph or list item) apart, then at `.`, `!` or `?` followed by space and
/// a capital, digit or quote — except after an abbreviation (e.g., Dr., et al.), an initial, or inside a decimal number.
/// </summary>
public static class Sentences
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "al", "fig", "figs", "approx", "no", "nos", "st", "jr", "sr",
        "inc", "ltd", "co", "corp", "u.s", "u.k", "vol", "pp", "ca", "cf", "ed", "eds", "dept", "univ", "mt", "ph.d", "m.d",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "min", "max", "mg", "ml", "vs",
    };

    public static IEnumerable<Sentence> Split(string text)
    {
        var lineStart = 0;
        var lineCodePoints = 0;
        var paragraph = 0;
        foreach (var line in text.Split('\n'))
        {
            paragraph++;
            // code points counted as the sentences go, not from the line's start for each one
            var (counted, countedTo) = (0, 0);
            int CodePointsTo(int index)
            {
                counted += CodePoints(line, countedTo, index);
                countedTo = index;
                return counted;
            }
            foreach (var (start, end) in SplitLine(line))
            {
                var (trimmedStart, trimmedEnd) = Trim(line, start, end);
                if (trimmedEnd > trimmedStart)
                {
                    var sentenceStart = lineCodePoints + CodePointsTo(trimmedStart);
                    yield return new Sentence(line[trimmedStart..trimmedEnd], sentenceStart, lineCodePoints + CodePointsTo(trimmedEnd), paragraph);
                }
            }
            lineStart += line.Length + 1;
            lineCodePoints += CodePoints(line, 0, line.Length) + 1;
        }
    }

    private static IEnumerable<(int Start, int End)> SplitLine(string line)
    {
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is not ('.' or '!' or '?')) continue;
            var end = i + 1;
            while (end < line.Length && line[end] is '"' or '\'' or '”' or '’' or ')' or ']' or '.' or '!' or '?') end++;
            if (end >= line.Length) break;
            var run = i;
            i = end - 1; // a run of punctuation is read once
            if (!char.IsWhiteSpace(line[end])) continue;
            var next = end;
            while (next < line.Length && char.IsWhiteSpace(line[next])) next++;
            if (next >= line.Length) break;
            var first = line[next];
            if (!(char.IsUpper(first) || char.IsDigit(first) || first is '"' or '“' or '\'' or '‘' or '(' or '[')) continue;
            if (line[run] == '.' && IsAbbreviation(line, run)) continue;
            yield return (start, end);
            start = next;
            i = next - 1;
        }
        yield return (start, line.Length);
    }

    private static bool IsAbbreviation(string line, int period)
    {
        var wordStart = period;
        while (wordStart > 0 && (char.IsLetter(line[wordStart - 1]) || line[wordStart - 1] == '.')) wordStart--;
        var word = line[wordStart..period];
        if (word.Length == 1 && char.IsUpper(word[0])) return true; // an initial: J. Smith
        return Abbreviations.Contains(word);
    }

    private static (int, int) Trim(string line, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(line[start])) start++;
        while (end > start && char.IsWhiteSpace(line[end - 1])) end--;
        // a list marker is not part of the sentence
        var marker = start;
        while (marker < end && char.IsDigit(line[marker])) marker++;
        if (marker > start && marker < end - 1 && line[marker] is '.' or ')' && line[marker + 1] == ' ') start = marker + 2;
        else if (end - start > 2 && line[start] is '-' or '*' or '•' && line[start + 1] == ' ') start += 2;
        return (start, end);
    }

    private static int CodePoints(string text, int from, int to)
    {
        var count = 0;
        for (var i = from; i < to; i++)
            if (!char.IsLowSurrogate(text[i])) count++;
        return count;
    }
}
