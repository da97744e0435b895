using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvidenceApi.Infrastructure;

/// <summary>Refuses control characters (other than tab and line breaks) and text that is not valid Unicode in every JSON string a client sends.</summary>
public sealed class PlainTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
            throw new JsonException($"Expected a string, not {reader.TokenType.ToString().ToLowerInvariant()}.");
        string? value;
        try
        {
            value = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // invalid UTF-8, or an escape that makes a lone surrogate: not text that can be stored
            throw new JsonException("Strings must be valid Unicode text (no invalid UTF-8, no lone surrogate escapes such as \\ud800).");
        }
        if (value is not null && value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
            throw new JsonException("Strings may not contain control characters other than tab and line breaks.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
