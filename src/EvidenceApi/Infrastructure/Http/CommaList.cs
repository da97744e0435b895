namespace EvidenceApi.Infrastructure;

public static class CommaList
{
    /// <summary>Splits "a,b,,c" into ["a","b","c"]; null or blank gives null (no filter). Values are not trimmed:
    /// "adults " is not a value, and validation says so.</summary>
    public static string[]? Split(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        return items.Length == 0 ? null : items;
    }
}
