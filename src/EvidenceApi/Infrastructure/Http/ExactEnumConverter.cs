using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Enums in JSON are their exact kebab-case slugs: `"Adults"`, `"adults "` and integers are refused, where
/// JsonStringEnumConverter would accept any case and surrounding blanks.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && Slugs.TryParse<TEnum>(reader.GetString()!, out var value)) return value;
            var given = reader.TokenType == JsonTokenType.String ? $"'{reader.GetString()}'" : "this value";
            throw new JsonException($"{given} is not allowed. Allowed values: {string.Join(", ", Slugs.AllOf<TEnum>())}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(Slugs.Of(value));
    }
}
