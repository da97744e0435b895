using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using EvidenceApi.Sources;
using EvidenceApi.Vocabularies;

namespace EvidenceApi.Candidates;

/// <summary>
/// How well extraction finds the seed's curated claims when it reads the seed article as if it were new. A curated claim
/// is found when a candidate's span overlaps its quote; its fields are compared with the best such candidate's (same
/// outcome first). Conditions agree when the candidate proposes one of the curated conditions.
/// </summary>
public sealed record ExtractionEvaluation(int Curated, int Candidates, int Found, int CandidatesOnClaims, int StrengthAgrees,
    int DirectionAgrees, int ConditionsAgree, IReadOnlyList<string> Disagreements)
{
    public double Recall => Ratio(Found, Curated);
    public double Precision => Ratio(CandidatesOnClaims, Candidates);
    public double StrengthAgreement => Ratio(StrengthAgrees, Found);
    public double DirectionAgreement => Ratio(DirectionAgrees, Found);
    public double ConditionAgreement => Ratio(ConditionsAgree, Found);

    public static readonly (string Measure, double Target)[] Targets =
        [("recall", 0.90), ("precision", 0.70), ("claimedStrength", 0.80), ("direction", 0.85), ("conditions", 0.80)];

    public IEnumerable<(string Measure, double Value, double Target)> Measures() =>
        Targets.Zip([Recall, Precision, StrengthAgreement, DirectionAgreement, ConditionAgreement], (t, v) => (t.Measure, v, t.Target));

    public bool MeetsTargets => Measures().All(m => m.Value >= m.Target);

    public static ExtractionEvaluation Run(string seedFolder, VocabularySnapshot vocabularies)
    {
        var seed = CatalogueSeeder.Read(seedFolder);
        var text = File.ReadAllText(Path.Combine(seedFolder, seed.Source.TextFile));
        var document = SourceDocument.Read(text, SourceFormat.Text);
        var candidates = ClaimExtractor.For(vocabularies).Extract(document);
        static bool Overlaps(ProposedClaim c, CatalogueSeeder.SeedClaim s) => c.Start < s.Position.End && s.Position.Start < c.End;

        int found = 0, strength = 0, direction = 0, conditions = 0;
        var disagreements = new List<string>();
        foreach (var claim in seed.Claims)
        {
            var overlapping = candidates.Where(c => Overlaps(c, claim)).ToList();
            if (overlapping.Count == 0)
            {
                disagreements.Add($"missed: \"{claim.Quote}\"");
                continue;
            }
            found++;
            var best = overlapping.FirstOrDefault(c => c.Outcome == claim.Outcome) ?? overlapping[0];
            if (best.ClaimedStrength == Slugs.Of(claim.ClaimedStrength)) strength++;
            else disagreements.Add($"claimedStrength {best.ClaimedStrength}, curated {Slugs.Of(claim.ClaimedStrength)}: \"{claim.Quote}\"");
            if (best.Direction == Slugs.Of(claim.Direction)) direction++;
            else disagreements.Add($"direction {best.Direction}, curated {Slugs.Of(claim.Direction)}: \"{claim.Quote}\"");
            if (best.Conditions.Intersect(claim.Conditions).Any()) conditions++;
            else disagreements.Add($"conditions {string.Join(',', best.Conditions)}, curated {string.Join(',', claim.Conditions)}: \"{claim.Quote}\"");
        }
        var onClaims = candidates.Count(c => seed.Claims.Any(s => Overlaps(c, s)));
        disagreements.AddRange(candidates.Where(c => !seed.Claims.Any(s => Overlaps(c, s)))
            .Select(c => $"not a curated claim ({c.Outcome}, {c.Score:F2}): \"{c.Quote}\""));
        return new ExtractionEvaluation(seed.Claims.Count, candidates.Count, found, onClaims, strength, direction, conditions, disagreements);
    }

    public string Table() => string.Join('\n', new[] { "| Measure | Value | Target |", "|---|---|---|" }
        .Concat(Measures().Select(m => $"| {m.Measure} | {m.Value:P1} | ≥ {m.Target:P0} |"))
        .Append($"\n{Found} of {Curated} curated claims found; {CandidatesOnClaims} of {Candidates} candidates on a curated claim."));

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
