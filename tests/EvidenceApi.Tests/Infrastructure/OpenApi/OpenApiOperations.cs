using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Infrastructure.OpenApi;

/// <summary>One operation of openapi/evidence-api.json.</summary>
public sealed record OpenApiOperation(string Method, string Path, JsonNode Node)
{
    public bool IsWrite => Node["security"] is not null;
    public bool IsAdminOnly => Node["summary"]?.GetValue<string>().Contains("(admin)") == true;
    public IEnumerable<int> DocumentedStatuses => Node["responses"]!.AsObject().Select(r => int.Parse(r.Key));
    public IEnumerable<JsonNode> Parameters => Node["parameters"]?.AsArray().Select(p => p!) ?? [];
    public JsonNode? BodyExample => Node["requestBody"]?["content"]?.AsObject().First().Value?["example"];
    public IEnumerable<string> BodyContentTypes => Node["requestBody"]?["content"]?.AsObject().Select(c => c.Key) ?? [];

    public static IReadOnlyList<OpenApiOperation> All()
    {
        var document = JsonNode.Parse(File.ReadAllText(OpenApiDocumentTests.CommittedPath()))!;
        return document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => new OpenApiOperation(op.Key.ToUpperInvariant(), path.Key, op.Value!)))
            .ToList();
    }

    /// <summary>The path with its parameters filled from <paramref name="values"/> (by parameter name).</summary>
    public string Url(IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(Path, (path, value) => path.Replace("{" + value.Key + "}", Uri.EscapeDataString(value.Value)));
}
