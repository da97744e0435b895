using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace EvidenceApi.Sources;

/// <summary>Content that cannot be read as a document; its message says why.</summary>
public sealed class UnreadableContentException(string message) : Exception(message);

/// <summary>How a source's content is written.</summary>
public enum SourceFormat { Text, Markdown, Html }

/// <summary>A part of a source's text under one heading.</summary>
/// <param name="Heading">The heading; `Introduction` for text before the first one.</param>
/// <param name="Start">Code-point offset where the section starts (its heading included).</param>
/// <param name="End">Code-point offset where the next section starts, or the end of the text.</param>
public sealed record SourceSection(string Heading, int Start, int End);

/// <summary>
/// A source's text as it is stored, once and for good: its main content only, normalised (Unicode NFC, `\n` line
/// endings, paragraphs apart by a blank line), and its sections. Offsets into it never change afterwards.
/// </summary>
public sealed record SourceDocument(string Text, IReadOnlyList<SourceSection> Sections)
{
    public const string FirstSection = "Introduction";

    /// <summary>The document, or why the content cannot be a source: nested beyond reading, or no text left once the markup is out.</summary>
    public static (SourceDocument? Document, string? Problem) TryRead(string content, SourceFormat format)
    {
        SourceDocument document;
        try
        {
            document = Read(content, format);
        }
        catch (UnreadableContentException e)
        {
            return (null, e.Message);
        }
        return document.Text.Any(char.IsLetterOrDigit) ? (document, null)
            : (null, "The content has no text once scripts, markup and navigation are taken out.");
    }

    public static SourceDocument Read(string content, SourceFormat format) => format switch
    {
        SourceFormat.Html => FromBlocks(HtmlBlocks(content)),
        SourceFormat.Markdown => FromBlocks(MarkdownBlocks(content)),
        _ => FromPlainText(content),
    };

    /// <summary>The heading of the section an offset falls in.</summary>
    public static string SectionAt(IReadOnlyList<SourceSection> sections, int offset)
    {
        // sections are in text order: the last that starts at or before the offset
        int low = 0, high = sections.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (sections[mid].Start <= offset) (found, low) = (mid, mid + 1);
            else high = mid - 1;
        }
        return found < 0 ? FirstSection : sections[found].Heading;
    }

    public static string Normalise(string text) =>
        text.Replace("\r\n", "\n").Replace('\r', '\n').Normalize(NormalizationForm.FormC);

    private sealed record Block(string Text, bool IsHeading);

    /// <summary>Plain text is kept as it is (normalised); a heading is a short line standing alone without closing punctuation.</summary>
    private static SourceDocument FromPlainText(string content)
    {
        var text = Normalise(content).Trim('\n');
        var lines = text.Split('\n');
        var headings = new List<(string Heading, int Start)>();
        var codePoints = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var alone = (i == 0 || lines[i - 1].Trim().Length == 0) && (i == lines.Length - 1 || lines[i + 1].Trim().Length == 0);
            if (alone && LooksLikeHeading(lines[i].Trim())) headings.Add((lines[i].Trim(), codePoints));
            codePoints += CodePoints(lines[i]) + 1;
        }
        return new SourceDocument(text, SectionsOf(headings, CodePoints(text), leadingText: headings.Count == 0 || headings[0].Start > 0));
    }

    private static bool LooksLikeHeading(string line)
    {
        // a question standing alone heads its answer (FAQ), and FAQ questions run long
        var question = line.EndsWith('?');
        if (line.Length == 0 || line.Length > (question ? 250 : 120) || !line.Any(char.IsLetter)) return false;
        if (".,;:!\"'”’)".Contains(line[^1]) || line[0] is '(' or '[' or '-' or '*' or '•' or '>' or '"' or '“') return false;
        if (char.IsDigit(line[0]) && line.TakeWhile(char.IsDigit).Count() is var digits && digits < line.Length && line[digits] is '.' or ')')
            return false; // a numbered list item
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return words <= (question ? 40 : 16);
    }

    private static SourceDocument FromBlocks(IEnumerable<Block> blocks)
    {
        var text = new StringBuilder();
        var headings = new List<(string Heading, int Start)>();
        var codePoints = 0;
        foreach (var block in blocks)
        {
            var content = Normalise(block.Text).Trim();
            if (content.Length == 0) continue;
            if (text.Length > 0)
            {
                text.Append("\n\n");
                codePoints += 2;
            }
            if (block.IsHeading) headings.Add((content, codePoints));
            text.Append(content);
            codePoints += CodePoints(content);
        }
        return new SourceDocument(text.ToString(), SectionsOf(headings, codePoints, leadingText: headings.Count == 0 || headings[0].Start > 0));
    }

    private static List<SourceSection> SectionsOf(List<(string Heading, int Start)> headings, int length, bool leadingText)
    {
        var sections = new List<SourceSection>();
        if (leadingText && length > 0) sections.Add(new SourceSection(FirstSection, 0, headings.Count > 0 ? headings[0].Start : length));
        for (var i = 0; i < headings.Count; i++)
            sections.Add(new SourceSection(headings[i].Heading, headings[i].Start, i + 1 < headings.Count ? headings[i + 1].Start : length));
        return sections;
    }

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    // Everything that is not the article itself: chrome, scripts, forms, and the boxes sites put around an article.
    private const string Noise = "script, style, noscript, template, iframe, object, embed, svg, canvas, nav, header, footer, aside, " +
                                 "form, button, select, input, textarea, dialog, [hidden], [aria-hidden=true], [role=navigation], " +
                                 "[role=banner], [role=contentinfo], [role=complementary], [role=dialog]";

    private static readonly string[] NoiseNames =
        ["cookie", "consent", "banner", "comment", "share", "social", "newsletter", "subscribe", "related", "advert", "promo",
         "sidebar", "breadcrumb", "menu", "popup", "modal", "footer", "header", "nav", "disqus"];

    private static readonly HashSet<string> BlockTags =
        ["P", "LI", "BLOCKQUOTE", "PRE", "FIGCAPTION", "TD", "TH", "DT", "DD", "CAPTION"];

    private static IEnumerable<Block> HtmlBlocks(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll(Noise).ToList()) element.Remove();
        foreach (var element in document.All.Where(IsNoiseBox).ToList()) element.Remove();
        var root = document.QuerySelector("article") ?? document.QuerySelector("main") ?? document.QuerySelector("[role=main]")
                   ?? (INode?)document.Body ?? document.DocumentElement;
        var blocks = new List<Block>();
        Walk(root, blocks, 0);
        return blocks;
    }

    private static bool IsNoiseBox(IElement element)
    {
        if (element.LocalName is "html" or "body" or "main" or "article") return false;
        var names = $"{element.Id} {element.ClassName}".ToLowerInvariant();
        // "comments", "cookie-banner", "navbar": a word of the name that begins with a noise word
        return names.Length > 1 && names.Split(' ', '-', '_').Any(word => NoiseNames.Any(n => word.StartsWith(n, StringComparison.Ordinal)));
    }

    private const int MaxDepth = 200;

    private static void Walk(INode node, List<Block> blocks, int depth)
    {
        // markup nested beyond any real article's is read as one block
        if (depth > MaxDepth)
        {
            blocks.Add(new Block(Collapse(node.TextContent), false));
            return;
        }
        var inline = new StringBuilder();
        void Flush()
        {
            if (inline.Length > 0) blocks.Add(new Block(Collapse(inline.ToString()), false));
            inline.Clear();
        }
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    inline.Append(text.Data);
                    break;
                case IElement { LocalName: "h1" or "h2" or "h3" or "h4" or "h5" or "h6" } heading:
                    Flush();
                    blocks.Add(new Block(Collapse(heading.TextContent), true));
                    break;
                case IElement { LocalName: "br" }:
                    inline.Append(' ');
                    break;
                case IElement element when BlockTags.Contains(element.TagName) && !element.Children.Any(c => c.LocalName is
                    "p" or "li" or "ul" or "ol" or "div" or "section" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "table" or "blockquote"):
                    Flush();
                    blocks.Add(new Block(Collapse(element.TextContent), false));
                    break;
                case IElement element when IsInline(element):
                    inline.Append(element.TextContent);
                    break;
                case IElement element:
                    Flush();
                    Walk(element, blocks, depth + 1);
                    break;
            }
        }
        Flush();
    }

    private static bool IsInline(IElement element) => element.LocalName is
        "a" or "abbr" or "b" or "bdi" or "bdo" or "cite" or "code" or "data" or "dfn" or "em" or "i" or "kbd" or "mark" or "q"
        or "s" or "samp" or "small" or "span" or "strong" or "sub" or "sup" or "time" or "u" or "var" or "wbr" or "font";

    private static string Collapse(string text) => string.Join(' ', text.Split((char[])[' ', '\t', '\n', '\r', '\f', '\u00a0'], StringSplitOptions.RemoveEmptyEntries));

    private static IEnumerable<Block> MarkdownBlocks(string markdown)
    {
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, new MarkdownPipelineBuilder().UseEmphasisExtras().UsePipeTables().Build());
        }
        catch (ArgumentException e) when (e.Message.Contains("nested"))
        {
            throw new UnreadableContentException("The Markdown is nested too deeply to read (more than 127 levels of quotes or lists).");
        }
        var blocks = new List<Block>();
        foreach (var block in document.Descendants<LeafBlock>())
        {
            switch (block)
            {
                case HeadingBlock heading:
                    blocks.Add(new Block(Collapse(InlineText(heading.Inline)), true));
                    break;
                case ParagraphBlock paragraph:
                    blocks.Add(new Block(Collapse(InlineText(paragraph.Inline)), false));
                    break;
                case CodeBlock or HtmlBlock or ThematicBreakBlock:
                    break; // code, raw HTML and rules are not prose
            }
        }
        return blocks;
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var text = new StringBuilder();
        foreach (var item in inline)
        {
            switch (item)
            {
                case LiteralInline literal:
                    text.Append(literal.Content);
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case ContainerInline container:
                    text.Append(InlineText(container));
                    break;
            }
        }
        return text.ToString();
    }
}
