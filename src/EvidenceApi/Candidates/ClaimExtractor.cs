using System.Text.RegularExpressions;
using EvidenceApi.Sources;
using EvidenceApi.Vocabularies;

namespace EvidenceApi.Candidates;

/// <summary>A claim extraction proposes: its span, its structure, the words behind each field, and how sure it is.</summary>
public sealed record ProposedClaim(
    int Start, int End, string Quote, string Section, string[] Conditions, string[] Cannabinoids, string[] Routes,
    string Population, string? Comparator, string Outcome, string Direction, string ClaimedStrength,
    IReadOnlyDictionary<string, string[]> Evidence, double Score);

/// <summary>
/// Proposes the health claims of a text, deterministically: a sentence is a candidate when it speaks of cannabis or its
/// compounds (by name, or by referring back to them) and says that they help, harm, work or are dosed. Its fields come
/// from the vocabularies' labels and synonyms and from general cue words (<see cref="ExtractionCues"/>); where a sentence
/// names no condition, the section's heading or the text's most named condition stands in.
/// </summary>
public sealed class ClaimExtractor
{
    private readonly VocabularySnapshot vocabularies;

    private ClaimExtractor(VocabularySnapshot vocabularies)
    {
        this.vocabularies = vocabularies;
        _names = Vocabulary.All.ToDictionary(v => v, v => new TermNames(vocabularies.Terms(v)));
    }

    public const int MaxOutcomesPerSentence = 3;

    /// <summary>Proposals one run makes at most, in text order: an article is not thousands of claims, and an editor reads each.</summary>
    public const int MaxProposals = 2000;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<VocabularySnapshot, ClaimExtractor> Extractors = new();

    /// <summary>The extractor for a version of the vocabularies, built once (its patterns are compiled).</summary>
    public static ClaimExtractor For(VocabularySnapshot vocabularies) => Extractors.GetValue(vocabularies, v => new ClaimExtractor(v));

    private readonly Dictionary<Vocabulary, TermNames> _names;

    /// <summary>
    /// Every label and synonym of a vocabulary as one pattern, longest names first, so that one scan of a sentence finds
    /// each name once ("neuropathic pain" before "pain"); a plural counts as the name.
    /// </summary>
    private sealed class TermNames
    {
        private readonly Dictionary<string, string> _slugs = new();
        public Regex? Pattern { get; }

        public TermNames(IEnumerable<CachedTerm> terms)
        {
            foreach (var term in terms)
                foreach (var name in term.Synonyms.Append(term.Label))
                {
                    var normalised = VocabularySnapshot.Normalise(name);
                    if (normalised.Length > 1) _slugs.TryAdd(normalised, term.Slug);
                }
            var names = _slugs.Keys.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal)
                .Select(n => string.Join(@"[\s\-–—/]+", n.Split(' ').Select(Regex.Escape))).ToList();
            if (names.Count > 0)
                Pattern = new Regex($@"(?<![\p{{L}}\p{{N}}])(?:{string.Join('|', names)})(?:e?s)?(?![\p{{L}}\p{{N}}])",
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }

        public string? SlugOf(string words)
        {
            var normalised = VocabularySnapshot.Normalise(words);
            if (_slugs.TryGetValue(normalised, out var slug)) return slug;
            if (normalised.EndsWith("es") && _slugs.TryGetValue(normalised[..^2], out slug)) return slug;
            return normalised.EndsWith('s') && _slugs.TryGetValue(normalised[..^1], out slug) ? slug : null;
        }
    }

    public IReadOnlyList<ProposedClaim> Extract(SourceDocument document, CancellationToken ct = default)
    {
        var sentences = Sentences.Split(document.Text).ToList();
        // where headings stand (the text before the first heading has none of its own)
        var headingStarts = document.Sections
            .Where(s => !(s.Start == 0 && s.Heading == SourceDocument.FirstSection && !document.Text.StartsWith(s.Heading, StringComparison.Ordinal)))
            .Select(s => s.Start).ToHashSet();
        // the text's subject: a condition it names at least three times
        var subject = MostNamed(Vocabulary.Conditions, document.Text);
        var text = new TextContext(subject?.Count >= 3 ? subject.Value.Slug : null, subject?.Words ?? "",
            MostNamed(Vocabulary.Interventions, document.Text)?.Slug,
            ExtractionCues.Outcomes.Select(o => (o.Outcome, Count: o.Words.Matches(document.Text).Count)).MaxBy(o => o.Count).Outcome);
        var proposed = new List<ProposedClaim>();
        var paragraph = new ParagraphContext(-1);
        var cannabisNamedAt = -10;
        for (var i = 0; i < sentences.Count && proposed.Count < MaxProposals; i++)
        {
            if (i % 256 == 0) ct.ThrowIfCancellationRequested();
            var sentence = sentences[i];
            if (headingStarts.Contains(sentence.Start)) continue;
            var section = SourceDocument.SectionAt(document.Sections, sentence.Start);
            if (sentence.Paragraph != paragraph.Number) paragraph = new ParagraphContext(sentence.Paragraph);

            var interventions = Matches(Vocabulary.Interventions, sentence.Text);
            var named = interventions.Count > 0 || ExtractionCues.Cannabis.IsMatch(sentence.Text);
            // a sentence that does not name cannabis may still speak of it: one that refers back to it, or that goes on a paragraph that named it
            var implied = !named && (paragraph.NamesCannabis || (i - cannabisNamedAt <= 2 && ExtractionCues.Reference.IsMatch(sentence.Text)));
            if (named) (cannabisNamedAt, paragraph.NamesCannabis) = (i, true);
            var conditionNames = Matches(Vocabulary.Conditions, sentence.Text);
            var conditions = Specific(Vocabulary.Conditions, conditionNames);
            // "pain" in a paragraph about neuropathic pain means neuropathic pain
            if (conditions.Count > 0 && paragraph.Conditions.Count > 0 && conditions.All(c => paragraph.Conditions.Any(p =>
                    p.Slug == c.Slug || vocabularies.Ancestors(Vocabulary.Conditions, p.Slug).Contains(c.Slug))))
                conditions = paragraph.Conditions;
            else if (conditions.Count > 0) paragraph.Conditions = conditions;
            if (!named && !implied) continue;
            if (sentence.Text.EndsWith('?') || ExtractionCues.OutOfScope.IsMatch(sentence.Text)) continue;
            if (ExtractionCues.AboutTheText.IsMatch(sentence.Text) && !ExtractionCues.Asserted.IsMatch(sentence.Text)) continue;
            var effect = ExtractionCues.Effect.Matches(sentence.Text);
            if (effect.Count == 0 && !ExtractionCues.NoEffect.IsMatch(sentence.Text)) continue;
            var outcomes = Outcomes(sentence.Text);
            // "pain" inside a condition's name ("adults with chronic pain") says who, not what changes, when something else does
            var pain = outcomes.FindIndex(o => o.Outcome == "pain");
            if (outcomes.Count > 1 && pain >= 0 && !ExtractionCues.PainRelief.IsMatch(sentence.Text)
                && conditionNames.Any(c => c.Words.Contains(outcomes[pain].Words, StringComparison.OrdinalIgnoreCase)))
                outcomes.RemoveAt(pain);
            // how it is dosed or works is the claim only when nothing else is: beside another outcome it is a word, not a claim
            if (outcomes.Any(o => o.Outcome is not ("pharmacokinetics" or "mechanism")))
                outcomes.RemoveAll(o => o.Outcome is "pharmacokinetics" or "mechanism");
            if (outcomes.Count > 0) paragraph.Outcome = outcomes[0].Outcome;
            else outcomes = [(paragraph.Outcome ?? Outcomes(section).Select(o => o.Outcome).FirstOrDefault() ?? text.Outcome, "")];

            proposed.AddRange(Propose(sentence, section, conditions, paragraph, interventions, named, text, effect, outcomes));
        }
        return proposed.Count > MaxProposals ? proposed.Take(MaxProposals).ToList() : proposed;
    }

    /// <summary>What the whole text is most about: the fallback for a sentence that does not say.</summary>
    private sealed record TextContext(string? Condition, string ConditionWords, string? Intervention, string Outcome);

    /// <summary>What a paragraph has said so far.</summary>
    private sealed class ParagraphContext(int number)
    {
        public int Number { get; } = number;
        public bool NamesCannabis { get; set; }
        public List<(string Slug, string Words)> Conditions { get; set; } = [];
        public string? Outcome { get; set; }
    }

    private IEnumerable<ProposedClaim> Propose(Sentence sentence, string section, List<(string Slug, string Words)> conditions,
        ParagraphContext paragraph, List<(string Slug, string Words)> interventions, bool named, TextContext context, MatchCollection effect,
        List<(string Outcome, string Words)> outcomes)
    {
        var text = sentence.Text;
        var evidence = new Dictionary<string, string[]>();
        var defaultCondition = context.Condition;
        var defaultIntervention = context.Intervention;

        // the sentence's own conditions, else its heading's, else those its paragraph named, else the text's main one
        var onlyBroad = defaultCondition is not null && conditions.Count > 0 && conditions.All(c =>
            c.Slug != defaultCondition && vocabularies.Ancestors(Vocabulary.Conditions, defaultCondition).Contains(c.Slug));
        if (conditions.Count == 0 || onlyBroad)
        {
            var fromHeading = Specific(Vocabulary.Conditions, Matches(Vocabulary.Conditions, section));
            if (fromHeading.Count > 0) conditions = fromHeading;
        }
        if (conditions.Count == 0 && paragraph.Conditions.Count > 0) conditions = paragraph.Conditions;
        if (conditions.Count > 0) evidence["conditions"] = [.. conditions.Select(c => c.Words)];
        else if (defaultCondition is not null)
        {
            conditions = [(defaultCondition, context.ConditionWords)];
            evidence["conditions"] = [context.ConditionWords];
        }
        // a sentence that names only what is above the text's own subject ("pain" in an article on chronic pain) means that subject
        if (defaultCondition is not null && conditions.Count > 0
            && conditions.All(c => c.Slug != defaultCondition && vocabularies.Ancestors(Vocabulary.Conditions, defaultCondition).Contains(c.Slug)))
            conditions = [(defaultCondition, conditions[0].Words)];

        var cannabinoids = interventions.Count > 0 ? interventions.DistinctBy(i => i.Slug).ToList()
            : defaultIntervention is null ? [] : [(defaultIntervention, "")];
        if (interventions.Count > 0) evidence["cannabinoids"] = [.. interventions.Select(i => i.Words)];

        var routes = ExtractionCues.Routes.Select(r => (r.Route, Match: r.Words.Match(text))).Where(r => r.Match.Success).ToList();
        if (routes.Count > 0) evidence["routes"] = [.. routes.Select(r => r.Match.Value)];
        var population = FirstOf(ExtractionCues.Populations, text) ?? FirstOf(ExtractionCues.Populations, section);
        if (population is not null) evidence["population"] = [population.Value.Words];
        var comparator = ExtractionCues.Comparison.IsMatch(text) ? FirstOf(ExtractionCues.Comparators, text) : null;
        if (comparator is not null) evidence["comparator"] = [comparator.Value.Words, ExtractionCues.Comparison.Match(text).Value];

        var (strength, strengthWords) = Strength(text);
        if (strengthWords is not null) evidence["claimedStrength"] = [strengthWords];

        var score = Math.Min(1.0, (named ? 0.35 : 0.15) + Math.Min(0.3, 0.1 * effect.Count) + (evidence.ContainsKey("conditions") ? 0.15 : 0)
                                  + (strengthWords is not null ? 0.1 : 0) + 0.1);
        foreach (var (outcome, outcomeWords) in outcomes.Take(MaxOutcomesPerSentence))
        {
            var (direction, directionWords) = Direction(text, outcome);
            var fieldEvidence = new Dictionary<string, string[]>(evidence);
            if (outcomeWords.Length > 0) fieldEvidence["outcome"] = [outcomeWords];
            if (directionWords is not null) fieldEvidence["direction"] = [directionWords];
            yield return new ProposedClaim(sentence.Start, sentence.End, text, section,
                [.. conditions.Select(c => c.Slug).Distinct().Order(StringComparer.Ordinal)],
                [.. cannabinoids.Select(c => c.Slug).Distinct().Order(StringComparer.Ordinal)],
                [.. routes.Select(r => r.Route)], population?.Slug ?? "unspecified", comparator?.Slug, outcome, direction, strength,
                fieldEvidence, Math.Round(score, 2));
        }
    }

    private List<(string Slug, string Words)> Matches(Vocabulary vocabulary, string text)
    {
        var names = _names[vocabulary];
        if (names.Pattern is null) return [];
        var found = new List<(string Slug, string Words)>();
        foreach (Match match in names.Pattern.Matches(text))
            if (names.SlugOf(match.Value) is { } slug) found.Add((slug, match.Value));
        return found;
    }

    /// <summary>Drops a term when a narrower one is named too.</summary>
    private List<(string Slug, string Words)> Specific(Vocabulary vocabulary, List<(string Slug, string Words)> terms)
    {
        var above = terms.SelectMany(t => vocabularies.Ancestors(vocabulary, t.Slug)).ToHashSet();
        return terms.Where(t => !above.Contains(t.Slug)).DistinctBy(t => t.Slug).ToList();
    }

    private (string Slug, string Words, int Count)? MostNamed(Vocabulary vocabulary, string text) =>
        Matches(vocabulary, text).GroupBy(m => m.Slug).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ((string, string, int)?)(g.Key, g.GroupBy(m => m.Words).MaxBy(w => w.Count())!.Key, g.Count())).FirstOrDefault();

    private List<(string Outcome, string Words)> Outcomes(string text)
    {
        var found = new List<(string Outcome, string Words, int At)>();
        foreach (var (outcome, words) in ExtractionCues.Outcomes)
            if (words.Match(text) is { Success: true } match) found.Add((outcome, match.Value, match.Index));
        foreach (var (outcome, words) in Matches(Vocabulary.Outcomes, text))
            if (found.All(f => f.Outcome != outcome)) found.Add((outcome, words, text.IndexOf(words, StringComparison.Ordinal)));
        // the cue list is ordered from the most telling outcome to the least
        var order = ExtractionCues.Outcomes.Select(o => o.Outcome).ToList();
        return found.OrderBy(f => order.IndexOf(f.Outcome) is var at && at < 0 ? order.Count : at).Select(f => (f.Outcome, f.Words)).ToList();
    }

    private static (string Slug, string Words)? FirstOf((string Slug, Regex Words)[] cues, string text)
    {
        foreach (var (slug, words) in cues)
            if (words.Match(text) is { Success: true } match) return (slug, match.Value);
        return null;
    }

    /// <summary>How sure the words sound: research said to show it asserts; "may", "suggest" suggest; "could", "potential"
    /// speculate; a plain statement of fact asserts.</summary>
    private static (string Strength, string? Words) Strength(string text)
    {
        // "has shown promise" promises: it does not report a result
        if (ExtractionCues.ShownPromise.Match(text) is { Success: true } promise) return ("speculative", promise.Value);
        if (ExtractionCues.Asserted.Match(text) is { Success: true } asserted) return ("asserted", asserted.Value);
        if (ExtractionCues.Suggested.Match(text) is { Success: true } suggested) return ("suggested", suggested.Value);
        if (ExtractionCues.Speculative.Match(text) is { Success: true } speculative) return ("speculative", speculative.Value);
        return ("asserted", null);
    }

    private static (string Direction, string? Words) Direction(string text, string outcome)
    {
        if (ExtractionCues.NoEffect.Match(text) is { Success: true } none) return ("no-effect", none.Value);
        var harm = ExtractionCues.Harm.Match(text);
        if (!harm.Success) return ("benefit", null);
        var mitigated = ExtractionCues.Mitigated.Match(text);
        if (mitigated.Success) return ("benefit", $"{mitigated.Value} … {harm.Value}");
        return outcome is "adverse-effects" or "dependence" or "mental-health" ? ("harm", harm.Value) : ("benefit", null);
    }
}
