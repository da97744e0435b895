using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Findings;

/// <summary>A finding that may bear on a claim, with why, and what citing it would mean for the claim.</summary>
/// <param name="Finding">The finding.</param>
/// <param name="Score">How well it matches the claim, 0–1: conditions 4, cannabinoids 3, outcome 3, direction 1, population
/// 0.5 and the claim naming the finding's outcome in its words 0.5, in twelfths.</param>
/// <param name="Reasons">How each field matches.</param>
/// <param name="Stance">The stance a citation made from it takes: background when it answers only part of the claim (its
/// outcome or condition is narrower than the claim's) or the claim compares with something (`comparator`) the finding does
/// not; else supports (same direction), refutes (the opposite) or mixed (the finding's evidence is insufficient, or either
/// side is mixed).</param>
/// <param name="EvidenceLevel">The claim's evidence level if graded from this finding: its level on the National Academies
/// scale (GRADE high → substantial, moderate → moderate, low → limited, very-low → insufficient) when it supports the claim,
/// insufficient when it refutes it or its own evidence is insufficient; null when its stance is background (it cannot
/// grade the claim).</param>
/// <param name="Overclaim">What the claim's `overclaim` would become at that level; null with no level.</param>
public sealed record SuggestionResponse(FindingResponse Finding, double Score, IReadOnlyList<MatchReason> Reasons, Stance Stance,
    EvidenceLevel? EvidenceLevel, bool? Overclaim);

/// <summary>How one field of a claim matches a finding.</summary>
/// <param name="Field">conditions, cannabinoids, outcome, direction, population, wording or comparator.</param>
/// <param name="Match">exact; broader (the finding's term is broader than the claim's, so it covers it); narrower (the
/// finding's is narrower: it covers part of the claim); any (the finding is not limited on this field); different.</param>
/// <param name="Detail">In words.</param>
public sealed record MatchReason(string Field, string Match, string Detail);

public sealed record SuggestionsQuery
{
    /// <summary>How many suggestions, 1–50 (default 10).</summary>
    /// <example>10</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }
}

public sealed class SuggestionsQueryValidator : AbstractValidator<SuggestionsQuery>
{
    public SuggestionsQueryValidator() => RuleFor(q => q.Limit).InclusiveBetween(1, 50);
}

/// <summary>Ranks findings for a claim by how well they match it, through the vocabularies' hierarchies.</summary>
public static class Suggestions
{
    private const double MinimumScore = 0.4;

    public static async Task<Results<CachedOk<Page<SuggestionResponse>>, ProblemHttpResult>> HandleAsync(Guid id,
        [AsParameters] SuggestionsQuery query, NpgsqlDataSource dataSource, VocabularyCache vocabularies, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var claim = await ClaimReader.GetAsync(connection, id, ct);
        if (claim is null) return Problems.NotFound($"There is no claim {id}.");
        var snapshot = await vocabularies.GetAsync(connection, ct);

        // only findings that share a condition (or have none) and an intervention, up or down the hierarchies, can match
        var conditions = Related(snapshot, Vocabulary.Conditions, claim.Conditions);
        var interventions = Related(snapshot, Vocabulary.Interventions, claim.Cannabinoids);
        var findings = (await connection.QueryAsync<FindingStore.FindingRow>(new CommandDefinition($"""
            {FindingStore.Select}
            where f.retired_at is null
              and (f.conditions && @conditions or cardinality(f.conditions) = 0)
              and f.interventions && @interventions
            """, new { conditions, interventions }, cancellationToken: ct))).Select(r => r.ToResponse());

        var ranked = findings.Select(f => Match(snapshot, claim, f))
            // a finding about another outcome does not check the claim, however well the rest matches
            .Where(s => s.Score >= MinimumScore && s.Reasons.Single(r => r.Field == "outcome").Match != "different")
            .OrderByDescending(s => s.Score)
            .ThenBy(s => Array.IndexOf(Strength, FindingLevels.OnNasemScale(s.Finding.Level)))
            .ThenBy(s => s.Finding.Synthesis.Doi, StringComparer.Ordinal).ThenBy(s => s.Finding.Locator, StringComparer.Ordinal)
            .Take(query.Limit ?? 10).ToList();
        // the best few, not a list to page through: nextCursor is always null
        return Cached.Ok(new Page<SuggestionResponse>(ranked, null), HttpCaching.ClaimCacheControl);
    }

    private static readonly EvidenceLevel[] Strength =
        [EvidenceLevel.Conclusive, EvidenceLevel.Substantial, EvidenceLevel.Moderate, EvidenceLevel.Limited, EvidenceLevel.Insufficient];

    private static string[] Related(VocabularySnapshot snapshot, Vocabulary vocabulary, IEnumerable<string> slugs) =>
        slugs.SelectMany(s => snapshot.Ancestors(vocabulary, s)).Concat(snapshot.WithNarrower(vocabulary, slugs)).Distinct().ToArray();

    /// <summary>How well <paramref name="finding"/> matches <paramref name="claim"/>, and what citing it would mean.</summary>
    public static SuggestionResponse Match(VocabularySnapshot snapshot, ClaimResponse claim, FindingResponse finding)
    {
        var reasons = new List<MatchReason>();
        var score = 0.0;

        var conditions = finding.Conditions.Count == 0
            ? (0.4, new MatchReason("conditions", "any", "The finding is not limited to a condition."))
            : Best(snapshot, Vocabulary.Conditions, claim.Conditions, finding.Conditions, "conditions");
        var interventions = Best(snapshot, Vocabulary.Interventions, claim.Cannabinoids, finding.Cannabinoids, "cannabinoids");
        var outcome = Best(snapshot, Vocabulary.Outcomes, [claim.Outcome], [finding.Outcome], "outcome");
        foreach (var (part, weight, reason) in new[] { (conditions.Item1, 4, conditions.Item2), (interventions.Item1, 3, interventions.Item2),
                                                       (outcome.Item1, 3, outcome.Item2) })
        {
            score += part * weight;
            reasons.Add(reason);
        }

        var sameDirection = claim.Direction == finding.Direction;
        if (sameDirection) score += 1;
        reasons.Add(new MatchReason("direction", sameDirection ? "exact" : "different",
            sameDirection ? $"Both are about {Slugs.Of(claim.Direction)}."
                : $"The claim is about {Slugs.Of(claim.Direction)}, the finding about {Slugs.Of(finding.Direction)}."));

        var population = PopulationMatch(claim.Population, finding.Population);
        score += population.Item1 * 0.5;
        reasons.Add(population.Item2);

        // the claim's own words name the finding's outcome ("anxiety or depression"): the nearer of several narrower findings
        var outcomeTerm = snapshot.Terms(Vocabulary.Outcomes).FirstOrDefault(t => t.Slug == finding.Outcome);
        var words = $" {VocabularySnapshot.Normalise(claim.Quote + " " + claim.Effect)} ";
        var named = outcomeTerm?.Synonyms.Prepend(outcomeTerm.Label)
            .FirstOrDefault(n => VocabularySnapshot.Normalise(n) is { Length: > 0 } name && words.Contains($" {name} "));
        if (named is not null)
        {
            score += 0.5;
            reasons.Add(new MatchReason("wording", "exact", $"The claim says \"{named}\"."));
        }

        var partial = outcome.Item2.Match == "narrower" || conditions.Item2.Match == "narrower";
        if (claim.Comparator is not null)
            reasons.Add(new MatchReason("comparator", "different", $"The claim compares with {claim.Comparator}; the finding does not."));
        var stance = partial || claim.Comparator is not null ? Stance.Background : StanceOf(claim.Direction, finding);
        EvidenceLevel? level = stance switch
        {
            Stance.Background => null,
            Stance.Supports => FindingLevels.OnNasemScale(finding.Level),
            _ => EvidenceLevel.Insufficient,
        };
        return new SuggestionResponse(finding, Math.Round(score / 12, 3), reasons, stance, level,
            level is { } graded ? Overclaims(claim.ClaimedStrength, graded) : null);
    }

    /// <summary>The stance a citation of <paramref name="finding"/> takes toward a claim of <paramref name="claimDirection"/>.</summary>
    public static Stance StanceOf(Direction claimDirection, FindingResponse finding) =>
        finding.Level.Value == "insufficient" || claimDirection == Direction.Mixed || finding.Direction == Direction.Mixed ? Stance.Mixed
        : claimDirection == finding.Direction ? Stance.Supports
        : Stance.Refutes;

    /// <summary>The rule of the claims table's `overclaim` column (migration 0001).</summary>
    public static bool Overclaims(ClaimedStrength strength, EvidenceLevel level) =>
        (strength == ClaimedStrength.Asserted && level is EvidenceLevel.Limited or EvidenceLevel.Insufficient)
        || (strength == ClaimedStrength.Suggested && level == EvidenceLevel.Insufficient);

    private static (double, MatchReason) Best(VocabularySnapshot snapshot, Vocabulary vocabulary, IEnumerable<string> claimTerms,
        IReadOnlyList<string> findingTerms, string field)
    {
        var best = (Score: 0.0, Match: "different", Detail: $"No {vocabulary.Singular} in common.");
        foreach (var claimTerm in claimTerms)
            foreach (var findingTerm in findingTerms)
            {
                var candidate = claimTerm == findingTerm ? (1.0, "exact", $"Both name {claimTerm}.")
                    : snapshot.Ancestors(vocabulary, claimTerm).Contains(findingTerm) ? (0.75, "broader", $"The finding's {findingTerm} covers the claim's {claimTerm}.")
                    : snapshot.Ancestors(vocabulary, findingTerm).Contains(claimTerm) ? (0.5, "narrower", $"The finding's {findingTerm} is part of the claim's {claimTerm}.")
                    : (0.0, "different", best.Detail);
                if (candidate.Item1 > best.Score) best = candidate;
            }
        return (best.Score, new MatchReason(field, best.Match, best.Detail));
    }

    private static (double, MatchReason) PopulationMatch(string claim, string finding) =>
        claim == finding ? (1.0, new MatchReason("population", "exact", $"Both are about {claim}."))
        : claim == "unspecified" || finding == "unspecified"
            ? (0.5, new MatchReason("population", "any", $"The claim is about {claim}, the finding about {finding}."))
            : (0.0, new MatchReason("population", "different", $"The claim is about {claim}, the finding about {finding}."));
}

/// <summary>Levels of findings on the scale claims are graded on.</summary>
public static class FindingLevels
{
    /// <summary>The National Academies level a finding's level stands for: itself, or a GRADE certainty mapped
    /// high → substantial, moderate → moderate, low → limited, very-low → insufficient.</summary>
    public static EvidenceLevel OnNasemScale(CitationGrade level) => level.Scheme == GradeScheme.Nasem2017
        ? Slugs.Parse<EvidenceLevel>(level.Value)
        : level.Value switch
        {
            "high" => EvidenceLevel.Substantial,
            "moderate" => EvidenceLevel.Moderate,
            "low" => EvidenceLevel.Limited,
            _ => EvidenceLevel.Insufficient,
        };
}
