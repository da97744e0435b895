using System.Text.RegularExpressions;

namespace EvidenceApi.Infrastructure;

/// <summary>Messages from the framework name .NET types ("could not be converted to System.Int32", or to one of our enums);
/// clients should read what the API expects instead.</summary>
public static partial class ProblemText
{
    [GeneratedRegex(@"'?\b(?:System|EvidenceApi|Microsoft)(?:\.\w+)+(?:`\d+\[[^\]]*\])?'?")]
    private static partial Regex TypeName { get; }

    [GeneratedRegex(@"JSON deserialization for type '[^']*' was missing required properties including: (?<names>.*?)\.?(?= Path:|$)")]
    private static partial Regex MissingProperties { get; }

    [GeneratedRegex(@"\s*\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex Position { get; }

    [GeneratedRegex(@"The constructor parameter '(?<name>\w+)' on type '?[\w.`\[\], ]+'? doesn't allow null values\..*?(?= Path:|$)")]
    private static partial Regex NotNullable { get; }

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member contained in type '?[\w.`\[\], ]+'?\.")]
    private static partial Regex UnknownMember { get; }

    public static string WithoutTypeNames(string message)
    {
        message = MissingProperties.Replace(message, m => $"Required properties are missing: {m.Groups["names"].Value}.");
        message = NotNullable.Replace(message, m => $"'{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(m.Groups["name"].Value)}' may not be null.");
        message = UnknownMember.Replace(message, m => $"'{m.Groups["name"].Value}' is not a field here.");
        return TypeName.Replace(message, m => Describe(m.Value.Trim('\'')));
    }

    /// <summary>Also drops byte positions, for messages about a document the server built (a merged patch), not the client's.</summary>
    public static string WithoutPositions(string message) => Position.Replace(WithoutTypeNames(message), "");

    private static string Describe(string typeName)
    {
        var generic = typeName.IndexOf('`');
        var argument = generic < 0 ? null : typeName[(typeName.IndexOf('[') + 1)..^1];
        var name = generic < 0 ? typeName : typeName[..generic];
        if (name == "System.Nullable" && argument is not null) return Describe(argument);
        if (argument is not null) return "a list";
        var type = typeof(ProblemText).Assembly.GetType(name) ?? Type.GetType(name);
        if (type is { IsEnum: true }) return "one of the allowed values";
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(Guid) => "a UUID",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) => "a date",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ => "the expected value",
        };
    }
}
