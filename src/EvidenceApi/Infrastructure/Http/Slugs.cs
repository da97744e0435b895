using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvidenceApi.Infrastructure;

/// <summary>Kebab-case spelling of enum members, shared by JSON, query strings and the database.</summary>
public static class Slugs
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Spellings<TEnum>.ToSlug[value];

    public static string? OfNullable<TEnum>(TEnum? value) where TEnum : struct, Enum =>
        value is { } v ? Of(v) : null;

    public static IReadOnlyList<string> AllOf<TEnum>() where TEnum : struct, Enum => Spellings<TEnum>.All;

    public static bool TryParse<TEnum>(string slug, out TEnum value) where TEnum : struct, Enum =>
        Spellings<TEnum>.FromSlug.TryGetValue(slug, out value);

    public static TEnum Parse<TEnum>(string slug) where TEnum : struct, Enum =>
        TryParse<TEnum>(slug, out var value) ? value
            : throw new FormatException($"'{slug}' is not a {typeof(TEnum).Name} slug.");

    // Worked out once per enum: every row read maps several of them.
    private static class Spellings<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ToSlug = Enum.GetValues<TEnum>().ToDictionary(v => v, Spell);
        public static readonly Dictionary<string, TEnum> FromSlug = ToSlug.ToDictionary(p => p.Value, p => p.Key);
        public static readonly string[] All = ToSlug.Values.ToArray();

        private static string Spell(TEnum value)
        {
            var name = value.ToString();
            var explicitName = typeof(TEnum).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;
            return explicitName ?? JsonNamingPolicy.KebabCaseLower.ConvertName(name);
        }
    }
}
