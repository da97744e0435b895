using System.Text.Json;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.Candidates;

/// <summary>What has become of a candidate.</summary>
public enum CandidateState { Open, Accepted, Dismissed }

/// <summary>Why an editor dismissed a candidate.</summary>
public enum DismissalReason { NotAClaim, Duplicate, OutOfScope }

/// <summary>A claim the service proposes from a source; an editor accepts (it becomes a claim), corrects or dismisses it.</summary>
/// <param name="Id">Candidate id.</param>
/// <param name="SourceId">The source it was found in.</param>
/// <param name="Quote">The exact words of the source.</param>
/// <param name="Position">Code-point offsets of the quote in the source text.</param>
/// <param name="Section">The heading the quote stands under.</param>
/// <param name="Conditions">Proposed condition slugs.</param>
/// <param name="Cannabinoids">Proposed intervention slugs.</param>
/// <param name="Routes">Proposed routes.</param>
/// <param name="Population">Proposed population slug.</param>
/// <param name="Comparator">Proposed comparator slug, if the text compares.</param>
/// <param name="Outcome">Proposed outcome slug.</param>
/// <param name="Direction">Proposed direction.</param>
/// <param name="ClaimedStrength">Proposed claimed strength, from the hedging of the words.</param>
/// <param name="Effect">A proposed effect phrase.</param>
/// <param name="Evidence">Per proposed field, the words of the text that led to it (absent: a default, e.g. the text's main condition).</param>
/// <param name="Score">How sure extraction is that this is a claim, 0–1.</param>
/// <param name="State">open, accepted or dismissed.</param>
/// <param name="Dismissal">Why it was dismissed: not-a-claim, duplicate, out-of-scope.</param>
/// <param name="DismissalNote">The editor's note on the dismissal.</param>
/// <param name="ClaimId">The claim it became, once accepted.</param>
/// <param name="Version">Increases with every change; the ETag is this number.</param>
/// <param name="CreatedAt">When it was proposed (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record CandidateResponse(Guid Id, Guid SourceId, string Quote, TextPosition Position, string Section, IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Cannabinoids, IReadOnlyList<AdministrationRoute> Routes, string Population, string? Comparator, string Outcome,
    Direction Direction, ClaimedStrength ClaimedStrength, string Effect, IReadOnlyDictionary<string, string[]> Evidence, double Score,
    CandidateState State, DismissalReason? Dismissal, string? DismissalNote, Guid? ClaimId, int Version, DateTime CreatedAt, DateTime UpdatedAt);

internal sealed class CandidateRow
{
    public Guid Id { get; init; }
    public Guid SourceId { get; init; }
    public string Quote { get; init; } = "";
    public int PositionStart { get; init; }
    public int PositionEnd { get; init; }
    public string Section { get; init; } = "";
    public string[] Conditions { get; init; } = [];
    public string[] Cannabinoids { get; init; } = [];
    public string[] Routes { get; init; } = [];
    public string Population { get; init; } = "";
    public string? Comparator { get; init; }
    public string Outcome { get; init; } = "";
    public string Direction { get; init; } = "";
    public string ClaimedStrength { get; init; } = "";
    public string Evidence { get; init; } = "{}";
    public float Score { get; init; }
    public string State { get; init; } = "";
    public string? Dismissal { get; init; }
    public string? DismissalNote { get; init; }
    public Guid? ClaimId { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public CandidateResponse ToResponse() => new(Id, SourceId, Quote, new TextPosition(PositionStart, PositionEnd), Section, Conditions,
        Cannabinoids, Routes.Select(Slugs.Parse<AdministrationRoute>).ToArray(), Population, Comparator, Outcome,
        Slugs.Parse<Direction>(Direction), Slugs.Parse<ClaimedStrength>(ClaimedStrength), CandidateEffects.Of(Direction, Outcome),
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(Evidence, ApiJson.Options) ?? [], Math.Round(Score, 2),
        Slugs.Parse<CandidateState>(State), Dismissal is null ? null : Slugs.Parse<DismissalReason>(Dismissal), DismissalNote, ClaimId, Version,
        DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
}

/// <summary>The effect phrase a candidate proposes, from its direction and outcome; an editor may write a better one on accept.</summary>
public static class CandidateEffects
{
    public static string Of(string direction, string outcome)
    {
        var words = outcome.Replace('-', ' ');
        return direction switch
        {
            "harm" => $"causes {words}",
            "no-effect" => $"no effect on {words}",
            "mixed" => $"mixed effects on {words}",
            _ => outcome switch
            {
                "pain" => "relieves pain",
                "adverse-effects" => "has few adverse effects",
                "opioid-use" => "reduces opioid use",
                "inflammation" => "reduces inflammation",
                "nausea-vomiting" => "reduces nausea and vomiting",
                "dependence" => "reduces dependence",
                "mechanism" => "acts on the endocannabinoid system",
                "pharmacokinetics" => "is delivered and dosed effectively",
                _ => $"improves {words}",
            },
        };
    }
}
