using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvidenceApi.Infrastructure;

/// <summary>Kebab-case spelling of enum members, shared by JSON, query strings and the database.</summary>
public static class Slugs
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        var explicitName = typeof(TEnum).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;
        return explicitName ?? JsonNamingPolicy.KebabCaseLower.ConvertName(name);
    }

    public static string? OfNullable<TEnum>(TEnum? value) where TEnum : struct, Enum =>
        value is { } v ? Of(v) : null;

    public static IReadOnlyList<string> AllOf<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(Of).ToArray();

    public static bool TryParse<TEnum>(string slug, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (Of(candidate) == slug)
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static TEnum Parse<TEnum>(string slug) where TEnum : struct, Enum =>
        TryParse<TEnum>(slug, out var value) ? value
            : throw new FormatException($"'{slug}' is not a {typeof(TEnum).Name} slug.");
}
