using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// One spelling of a time everywhere the API writes one (JSON, CSV, JSON Lines): RFC 3339 in UTC with microseconds,
/// the precision PostgreSQL keeps, e.g. `2026-11-28T01:27:22.123456Z`.
/// </summary>
public static class Timestamps
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Of(DateTime time) => time.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);

    public sealed class Converter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TryGetDateTime(out var time)
                ? time.ToUniversalTime()
                : throw new JsonException("Expected a time in RFC 3339 form, such as 2026-11-28T01:27:22Z.");

        // formatted on the stack: a list page writes two per claim
        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            Span<char> text = stackalloc char[32];
            writer.WriteStringValue(value.ToUniversalTime().TryFormat(text, out var length, Format, CultureInfo.InvariantCulture)
                ? text[..length] : Of(value));
        }
    }
}
