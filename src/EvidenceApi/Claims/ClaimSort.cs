namespace EvidenceApi.Claims;

public enum SortValueKind { Time, Integer, Real }

/// <summary>A sort order for claim lists. Every order ends with the claim id, so keyset paging is total.</summary>
public sealed record ClaimSort(string Name, bool Descending, string Expression, SortValueKind Kind)
{
    public const string Default = "createdAt";
    public const string Relevance = "relevance";

    // Whitelisted expressions: the only SQL text a request can choose.
    private static readonly Dictionary<string, (string Expression, SortValueKind Kind)> Keys = new()
    {
        ["createdAt"] = ("c.created_at", SortValueKind.Time),
        ["updatedAt"] = ("c.updated_at", SortValueKind.Time),
        ["evidenceLevel"] = ("array_position(array['conclusive','substantial','moderate','limited','insufficient','unassessed'], c.evidence_level)", SortValueKind.Integer),
        ["claimedStrength"] = ("array_position(array['asserted','suggested','speculative'], c.claimed_strength)", SortValueKind.Integer),
        ["position"] = ("c.position_start", SortValueKind.Integer),
        [Relevance] = ("ts_rank(c.search, websearch_to_tsquery('english', @Query))", SortValueKind.Real),
    };

    public static IEnumerable<string> Names => Keys.Keys.Where(k => k != Relevance).SelectMany(k => new[] { k, "-" + k }).Append(Relevance);

    public static bool TryParse(string name, out ClaimSort sort)
    {
        sort = null!;
        // relevance is always best match first
        var descending = name.StartsWith('-') || name == Relevance;
        var key = name.StartsWith('-') ? name[1..] : name;
        if (name == "-" + Relevance || !Keys.TryGetValue(key, out var entry)) return false;
        sort = new ClaimSort(name, descending, entry.Expression, entry.Kind);
        return true;
    }

    public string OrderBy => Descending ? $"order by {Expression} desc, c.id desc" : $"order by {Expression}, c.id";

    public string After => $"and ({Expression}, c.id) {(Descending ? "<" : ">")} (@AfterValue, @AfterId)";
}
