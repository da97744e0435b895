namespace EvidenceApi.Vocabularies;

/// <summary>
/// One of the five managed vocabularies. Each is a table of the same shape (db/migrations/0008) and a resource at
/// `/v1/{Name}`; the claim field and filter that use it are named by <see cref="ClaimField"/>.
/// </summary>
/// <param name="Name">Table and route segment (plural).</param>
/// <param name="Singular">One term of it, in messages and operation names.</param>
/// <param name="ClaimField">The claim filter parameter that takes its slugs or codes.</param>
/// <param name="Hierarchical">Whether claim filters widen it with `includeNarrower`.</param>
public sealed record Vocabulary(string Name, string Singular, string ClaimField, bool Hierarchical)
{
    public static readonly Vocabulary Conditions = new("conditions", "condition", "condition", true);
    public static readonly Vocabulary Interventions = new("interventions", "intervention", "cannabinoid", true);
    public static readonly Vocabulary Outcomes = new("outcomes", "outcome", "outcome", false);
    public static readonly Vocabulary Comparators = new("comparators", "comparator", "comparator", false);
    public static readonly Vocabulary Populations = new("populations", "population", "population", false);

    public static readonly IReadOnlyList<Vocabulary> All = [Conditions, Interventions, Outcomes, Comparators, Populations];

    /// <summary>"Condition" for "condition": operation names (ListConditions, GetCondition).</summary>
    public string SingularTitle => char.ToUpperInvariant(Singular[0]) + Singular[1..];
    public string NameTitle => char.ToUpperInvariant(Name[0]) + Name[1..];

    /// <summary>"a condition", "an intervention".</summary>
    public string WithArticle => ("aeiou".Contains(Singular[0]) ? "an " : "a ") + Singular;
}
