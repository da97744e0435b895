using System.Text.Json.Nodes;
using EvidenceApi.Citations;
using EvidenceApi.Claims;
using EvidenceApi.Editors;
using EvidenceApi.Flags;

namespace EvidenceApi.Infrastructure;

/// <summary>An example body for each request type, shown in Swagger UI's "Try it out".</summary>
public static class RequestExamples
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(CreateClaimRequest)] = """
            {
              "sourceId": "01937f4e-6c1a-7b7e-9a51-2f0c8d3e4b21",
              "quote": "Medical marijuana shows promise in alleviating various types of cancer-associated pain",
              "position": { "start": 13102, "end": 13188 },
              "section": "Cancer-Related Pain Relief",
              "conditions": ["cancer-pain"],
              "cannabinoids": ["whole-plant-cannabis"],
              "routes": [],
              "population": "cancer-patients",
              "comparator": null,
              "effect": "relieves cancer-related pain",
              "outcome": "pain",
              "direction": "benefit",
              "claimedStrength": "speculative"
            }
            """,
        [typeof(PatchClaimRequest)] = """{ "effect": "reduces pain intensity", "comparator": "placebo", "evidenceLevel": "limited" }""",
        [typeof(RetireClaimRequest)] = """{ "reason": "Duplicate of another claim quoting the same sentence." }""",
        [typeof(AddCitationRequest)] = """
            {
              "kind": "doi",
              "identifier": "10.1001/jama.2015.6358",
              "title": "Cannabinoids for Medical Use: A Systematic Review and Meta-analysis",
              "year": 2015,
              "stance": "mixed",
              "grade": { "scheme": "grade", "value": "moderate" },
              "note": "Moderate-quality evidence for chronic neuropathic pain; not specific to cancer pain."
            }
            """,
        [typeof(RaiseFlagRequest)] = """{ "reason": "overstated", "note": "The cited review grades this evidence as limited." }""",
        [typeof(ResolveFlagRequest)] = """{ "resolution": "fixed", "note": "Claimed strength corrected." }""",
        [typeof(CreateEditorRequest)] = """{ "name": "jane.doe", "role": "editor" }""",
    };

    public static JsonNode? For(Type type) => Examples.TryGetValue(type, out var json) ? JsonNode.Parse(json) : null;
}
