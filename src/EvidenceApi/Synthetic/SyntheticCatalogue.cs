using System.Security.Cryptography;
using System.Text;
using EvidenceApi.Citations;

namespace EvidenceApi.Synthetic;

public sealed record SyntheticSource(Guid Id, string Title, string Text, string Sha256, IReadOnlyList<SyntheticClaim> Claims);

public sealed record SyntheticClaim(
    Guid Id, string Quote, int Start, int End, string Section, string[] Conditions, string[] Cannabinoids, string[] Routes,
    string Population, string? Comparator, string Effect, string Outcome, string Direction, string ClaimedStrength,
    string EvidenceLevel, DateTime CreatedAt, IReadOnlyList<SyntheticCitation> Citations, IReadOnlyList<SyntheticFlag> Flags);

public sealed record SyntheticCitation(Guid Id, string Kind, string Identifier, string Title, int Year, string Stance);

public sealed record SyntheticFlag(Guid Id, string Reason, bool Resolved);

/// <summary>
/// Deterministic synthetic claims for load tests: for a given seed the same sources, sentences, ids and
/// vocabulary choices, every time. Each claim quotes one sentence of its source, written from its own
/// fields so that full-text search has varied, meaningful wording to find.
/// </summary>
public sealed class SyntheticCatalogue(int seed)
{
    public const int ClaimsPerSource = 1000;
    private static readonly DateTime Epoch = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly (string Slug, string Words)[] Conditions =
    [
        ("chronic-pain", "chronic pain"), ("neuropathic-pain", "neuropathic pain"), ("inflammatory-pain", "inflammatory pain"),
        ("arthritis", "arthritis"), ("rheumatoid-arthritis", "rheumatoid arthritis"), ("psoriatic-arthritis", "psoriatic arthritis"),
        ("osteoarthritis", "osteoarthritis"), ("fibromyalgia", "fibromyalgia"), ("musculoskeletal-pain", "musculoskeletal pain"),
        ("cancer-pain", "cancer pain"), ("chemotherapy-induced-nausea-vomiting", "chemotherapy-induced nausea"),
    ];

    private static readonly (string Slug, string Words)[] Cannabinoids =
    [
        ("thc", "THC"), ("cbd", "CBD oil"), ("whole-plant-cannabis", "medical cannabis"), ("cannabinoids", "cannabinoid therapy"),
        ("cannabinoid-receptor-agonists", "a CB1 receptor agonist"), ("ecs-modulators", "an endocannabinoid modulator"), ("terpenes", "terpene-rich extract"),
    ];

    private static readonly (string Outcome, string Direction, string[] Effects)[] Effects =
    [
        ("pain", "benefit", ["reduces pain intensity", "relieves persistent pain", "eases pain flares", "lowers daily pain scores"]),
        ("inflammation", "benefit", ["reduces joint inflammation", "calms inflammatory markers", "limits swelling"]),
        ("sleep", "benefit", ["improves sleep quality", "shortens time to fall asleep", "reduces night waking"]),
        ("nausea-vomiting", "benefit", ["controls nausea and vomiting", "reduces vomiting episodes"]),
        ("quality-of-life", "benefit", ["improves quality of life", "restores daily function and wellbeing"]),
        ("opioid-use", "benefit", ["reduces opioid use", "lowers required opioid doses"]),
        ("adverse-effects", "harm", ["causes dizziness and dry mouth", "impairs concentration", "causes drowsiness"]),
        ("mental-health", "harm", ["raises the risk of anxiety", "worsens low mood"]),
        ("dependence", "harm", ["leads to dependence", "carries a risk of addiction"]),
        ("mechanism", "mixed", ["modulates nociceptive signalling", "acts on CB1 and CB2 receptors"]),
        ("physical-function", "benefit", ["improves muscle function", "improves joint mobility"]),
        ("relaxation", "benefit", ["promotes relaxation", "relieves muscle tension"]),
        ("pharmacokinetics", "no-effect", ["gives a steady dose over the day", "has a slow onset of action"]),
    ];

    private static readonly (string Strength, string[] Openings)[] Wordings =
    [
        ("asserted", ["Research has demonstrated that", "Clinical trials have shown that", "It is well established that"]),
        ("suggested", ["Studies suggest that", "Early evidence indicates that", "Several reports suggest that"]),
        ("speculative", ["It could potentially be that", "Some clinicians believe that", "Anecdotal accounts hint that"]),
    ];

    private static readonly (string? Slug, string Words)[] Populations =
    [
        ("unspecified", ""), ("unspecified", ""), ("adults", " in adults"), ("older-adults", " in older adults"),
        ("children-adolescents", " in children and adolescents"), ("cancer-patients", " in patients with cancer"),
    ];

    private static readonly (string? Slug, string Words)[] Comparators =
    [
        (null, ""), (null, ""), (null, ""), ("placebo", " compared with placebo"), ("opioids", " compared with opioids"),
        ("nsaids", " compared with NSAIDs"), ("conventional-care", " compared with usual care"),
    ];

    private static readonly string[] Routes = ["inhaled", "oral", "oromucosal", "topical", "transdermal"];
    private static readonly string[] Levels = ["conclusive", "substantial", "moderate", "limited", "insufficient"];
    private static readonly string[] Stances = ["supports", "refutes", "mixed", "background"];
    private static readonly string[] Reasons = ["unsupported", "overstated", "contradicted", "misquoted", "outdated"];
    private static readonly string[] Sections = ["Background", "Evidence", "Safety", "Dosing", "Outlook"];

    /// <summary>Source number <paramref name="index"/>, with claims numbered from index × ClaimsPerSource.</summary>
    public SyntheticSource Source(int index, int claimCount)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var text = new StringBuilder();
        var claims = new List<SyntheticClaim>(claimCount);
        text.Append($"Synthetic review {seed}-{index}: cannabinoids for chronic pain.\n\n");
        for (var n = 0; n < claimCount; n++)
        {
            var number = (long)index * ClaimsPerSource + n;
            var createdAt = Epoch.AddMilliseconds(number);
            var condition = Conditions[random.Next(Conditions.Length)];
            var extraCondition = random.Next(3) == 0 ? Conditions[random.Next(Conditions.Length)] : condition;
            var cannabinoid = Cannabinoids[random.Next(Cannabinoids.Length)];
            var extraCannabinoid = random.Next(3) == 0 ? Cannabinoids[random.Next(Cannabinoids.Length)] : cannabinoid;
            var (outcome, direction, effects) = Effects[random.Next(Effects.Length)];
            var effect = effects[random.Next(effects.Length)];
            var (strength, openings) = Wordings[random.Next(Wordings.Length)];
            var population = Populations[random.Next(Populations.Length)];
            var comparator = Comparators[random.Next(Comparators.Length)];
            var routes = random.Next(4) == 0 ? new[] { Routes[random.Next(Routes.Length)] } : [];

            var quote = $"{openings[random.Next(openings.Length)]} {cannabinoid.Words} {effect} for people with {condition.Words}" +
                        $"{(extraCondition != condition ? " and " + extraCondition.Words : "")}{population.Words}{comparator.Words}.";
            var start = text.Length;
            text.Append(quote).Append(n % 8 == 7 ? "\n\n" : " ");

            var citations = new List<SyntheticCitation>();
            var citationCount = random.Next(10) switch { < 6 => 0, < 9 => 1, _ => 2 };
            for (var c = 0; c < citationCount; c++)
                citations.Add(new SyntheticCitation(Id(random, createdAt), "pmid", (10_000_000 + random.Next(30_000_000)).ToString(),
                    $"Trial of {cannabinoid.Words} for {condition.Words}", 1995 + random.Next(30), Stances[random.Next(Stances.Length)]));
            var flags = new List<SyntheticFlag>();
            if (random.Next(20) == 0) flags.Add(new SyntheticFlag(Id(random, createdAt), Reasons[random.Next(Reasons.Length)], Resolved: random.Next(2) == 0));
            var level = citations.Count > 0 ? Levels[random.Next(Levels.Length)] : random.Next(5) == 0 ? "insufficient" : "unassessed";

            claims.Add(new SyntheticClaim(Id(random, createdAt), quote, start, start + quote.Length, Sections[n * Sections.Length / claimCount],
                new[] { condition.Slug, extraCondition.Slug }.Distinct().ToArray(), new[] { cannabinoid.Slug, extraCannabinoid.Slug }.Distinct().ToArray(),
                routes, population.Slug!, comparator.Slug, effect, outcome, direction, strength, level, createdAt, citations, flags));
        }

        var body = text.ToString();
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        return new SyntheticSource(Id(random, Epoch.AddMilliseconds((long)index * ClaimsPerSource)), $"Synthetic review {seed}-{index}", body, sha, claims);
    }

    /// <summary>A version-7 UUID whose time is <paramref name="time"/> and whose random bits come from the seeded generator.</summary>
    private static Guid Id(Random random, DateTime time)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = (long)(time - DateTime.UnixEpoch).TotalMilliseconds;
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(ms >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
