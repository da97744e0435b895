using System.Text.Json.Nodes;

namespace EvidenceApi.Infrastructure;

/// <summary>An example body of a request type, shown in Swagger UI's "Try it out". Kept beside the request it shows.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequestExampleAttribute(string json) : Attribute
{
    public JsonNode Example => JsonNode.Parse(json)!;
}
