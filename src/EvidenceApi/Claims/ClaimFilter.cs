using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using Microsoft.AspNetCore.Mvc;

namespace EvidenceApi.Claims;

/// <summary>
/// The filters shared by the list, facets and export of claims. Each field may take several
/// comma-separated values: OR within a field, AND across fields.
/// </summary>
public record ClaimFilterQuery
{
    /// <summary>Condition slugs (GET /v1/conditions) or codes (`mesh:D005356`, `snomed:…`, `icd11:…`), comma-separated.</summary>
    /// <example>neuropathic-pain,fibromyalgia</example>
    [FromQuery(Name = "condition")]
    public string? Condition { get; init; }

    /// <summary>
    /// With `condition` or `cannabinoid`: also match every term narrower than the ones named, by every path (e.g. `chronic-pain`
    /// matches `neuropathic-pain`; `thc` matches `dronabinol` and `nabiximols`).
    /// </summary>
    /// <example>true</example>
    [FromQuery(Name = "includeNarrower")]
    public bool? IncludeNarrower { get; init; }

    /// <summary>Intervention slugs (GET /v1/interventions: cannabinoids and cannabis-based products) or codes (`atc:A04AD10`, `unii:…`), comma-separated.</summary>
    /// <example>thc,cbd</example>
    [FromQuery(Name = "cannabinoid")]
    public string? Cannabinoid { get; init; }

    /// <summary>Routes of administration: inhaled, oral, oromucosal, topical, transdermal.</summary>
    /// <example>topical</example>
    [FromQuery(Name = "route")]
    public string? Route { get; init; }

    /// <summary>Population slugs (GET /v1/populations) or codes, comma-separated.</summary>
    /// <example>cancer-patients</example>
    [FromQuery(Name = "population")]
    public string? Population { get; init; }

    /// <summary>Comparator slugs (GET /v1/comparators) or codes, comma-separated.</summary>
    /// <example>opioids</example>
    [FromQuery(Name = "comparator")]
    public string? Comparator { get; init; }

    /// <summary>Outcome slugs (GET /v1/outcomes) or codes (`mesh:D010146`), comma-separated.</summary>
    /// <example>pain,sleep</example>
    [FromQuery(Name = "outcome")]
    public string? Outcome { get; init; }

    /// <summary>Directions: benefit, harm, no-effect, mixed.</summary>
    /// <example>benefit</example>
    [FromQuery(Name = "direction")]
    public string? Direction { get; init; }

    /// <summary>Claimed strengths: asserted, suggested, speculative.</summary>
    /// <example>asserted</example>
    [FromQuery(Name = "claimedStrength")]
    public string? ClaimedStrength { get; init; }

    /// <summary>Evidence levels: conclusive, substantial, moderate, limited, insufficient, unassessed.</summary>
    /// <example>unassessed</example>
    [FromQuery(Name = "evidenceLevel")]
    public string? EvidenceLevel { get; init; }

    /// <summary>Statuses: flagged, needs-citation, cited.</summary>
    /// <example>needs-citation</example>
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary>Source ids (UUIDs), comma-separated.</summary>
    [FromQuery(Name = "source")]
    public string? Source { get; init; }

    /// <summary>Claim ids (UUIDs), comma-separated, at most 100.</summary>
    [FromQuery(Name = "id")]
    public string? Id { get; init; }

    /// <summary>Only claims whose wording overstates the graded evidence (true) or does not (false); unassessed claims match neither.</summary>
    /// <example>true</example>
    [FromQuery(Name = "overclaim")]
    public bool? Overclaim { get; init; }

    /// <summary>Include retired claims (hidden by default).</summary>
    /// <example>false</example>
    [FromQuery(Name = "includeRetired")]
    public bool? IncludeRetired { get; init; }

    /// <summary>
    /// Full-text search over quote and effect (PostgreSQL websearch syntax: words, "phrases", -exclusions, or). A synonym of a
    /// condition or intervention in it (`nerve pain`, `weed`) also finds the claims tagged with that term or a narrower one
    /// that contain the rest of the search.
    /// </summary>
    /// <example>neuropathic pain</example>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }
}

/// <summary>Parsed filter values, ready to bind as SQL parameters; null means "no filter on this field".</summary>
public sealed record ClaimFilter(
    string[]? Conditions, bool IncludeNarrower, string[]? Cannabinoids, string[]? Routes, string[]? Populations,
    string[]? Comparators, string[]? Outcomes, string[]? Directions, string[]? ClaimedStrengths, string[]? EvidenceLevels,
    string[]? Statuses, Guid[]? Sources, Guid[]? Ids, bool? Overclaim, bool IncludeRetired, string? Query,
    string[]? SearchConditions = null, string[]? SearchCannabinoids = null, string? SearchRest = null)
{
    public const int MaxIds = 100;

    public static ClaimFilter From(ClaimFilterQuery q) => new(
        CommaList.Split(q.Condition), q.IncludeNarrower ?? false, CommaList.Split(q.Cannabinoid), CommaList.Split(q.Route),
        CommaList.Split(q.Population), CommaList.Split(q.Comparator), CommaList.Split(q.Outcome), CommaList.Split(q.Direction),
        CommaList.Split(q.ClaimedStrength), CommaList.Split(q.EvidenceLevel), CommaList.Split(q.Status),
        CommaList.Split(q.Source)?.Select(Guid.Parse).ToArray(), CommaList.Split(q.Id)?.Select(Guid.Parse).ToArray(),
        q.Overclaim, q.IncludeRetired ?? false, string.IsNullOrWhiteSpace(q.Q) ? null : q.Q.Trim());

    /// <summary>
    /// The where clause over `claims c` for the filters that are set, built only from the fixed fragments below:
    /// every value is a parameter. Filters that are not set leave no text behind, which lets PostgreSQL turn each
    /// EXISTS into an indexed semi-join (`@x is null or exists (...)` would force a scan of the whole link table).
    /// Conditions must be resolved first (<see cref="ResolveAsync"/>).
    /// </summary>
    public string WhereClause => "where " + string.Join("\n  and ", Tests().DefaultIfEmpty("true"));

    /// <summary>True when the filters are those of the default list: every claim that is not retired.</summary>
    public bool ShowsEveryListedClaim => Tests().SequenceEqual(["c.retired_at is null"]);

    private IEnumerable<string> Tests()
    {
        if (!IncludeRetired) yield return "c.retired_at is null";
        if (Conditions is not null) yield return "c.conditions && @Conditions";
        if (Cannabinoids is not null) yield return "c.cannabinoids && @Cannabinoids";
        if (Routes is not null) yield return "c.routes && @Routes";
        if (Populations is not null) yield return "c.population = any(@Populations)";
        if (Comparators is not null) yield return "c.comparator = any(@Comparators)";
        if (Outcomes is not null) yield return "c.outcome = any(@Outcomes)";
        if (Directions is not null) yield return "c.direction = any(@Directions)";
        if (ClaimedStrengths is not null) yield return "c.claimed_strength = any(@ClaimedStrengths)";
        if (EvidenceLevels is not null) yield return "c.evidence_level = any(@EvidenceLevels)";
        if (Statuses is not null) yield return "c.status = any(@Statuses)";
        if (Sources is not null) yield return "c.source_id = any(@Sources)";
        if (Ids is not null) yield return "c.id = any(@Ids)";
        if (Overclaim is not null) yield return "c.overclaim = @Overclaim";
        if (Query is not null) yield return SearchTest();
    }

    // A claim matches a search by its words, or by the terms the search names as synonyms and the words left over.
    private string SearchTest()
    {
        const string words = "c.search @@ websearch_to_tsquery('english', @Query)";
        if (SearchConditions is null && SearchCannabinoids is null) return words;
        var tagged = new List<string>();
        if (SearchConditions is not null) tagged.Add("c.conditions && @SearchConditions");
        if (SearchCannabinoids is not null) tagged.Add("c.cannabinoids && @SearchCannabinoids");
        // words left over that are all stop words parse to an empty query, which would match nothing: they ask nothing
        if (SearchRest is not null)
            tagged.Add("(numnode(websearch_to_tsquery('english', @SearchRest)) = 0 or c.search @@ websearch_to_tsquery('english', @SearchRest))");
        return $"({words} or ({string.Join(" and ", tagged)}))";
    }

    /// <summary>
    /// Turns the vocabulary filters into the slugs they mean (codes looked up, narrower terms added when asked) and finds
    /// the terms a search names, from the terms as they are in this request's view of the database. Done here, not inside
    /// the claims query, so that the query filters with plain arrays the planner can estimate.
    /// </summary>
    public async Task<(ClaimFilter Filter, Dictionary<string, string[]> Unknown)> ResolveAsync(VocabularyCache vocabularies,
        Npgsql.NpgsqlConnection connection, CancellationToken ct)
    {
        if (Conditions is null && Cannabinoids is null && Outcomes is null && Populations is null && Comparators is null && Query is null)
            return (this, []);
        var snapshot = vocabularies.Loaded;
        // plain slugs that exist mean the same whatever the terms' edits; anything else reads the terms as they are now
        if (snapshot is null || IncludeNarrower || Query is not null || !PlainSlugsKnownTo(snapshot))
            snapshot = await vocabularies.GetAsync(connection, ct);
        var unknown = new Dictionary<string, string[]>();
        string[]? Resolve(Vocabulary vocabulary, string[]? values)
        {
            if (values is null) return null;
            var errors = new List<string>();
            var slugs = snapshot.Resolve(vocabulary, values, IncludeNarrower, errors);
            if (errors.Count > 0) unknown[vocabulary.ClaimField] = [.. errors];
            return slugs;
        }
        var search = Query is null ? null : snapshot.TermsNamedIn(Query);
        var resolved = this with
        {
            Conditions = Resolve(Vocabulary.Conditions, Conditions),
            Cannabinoids = Resolve(Vocabulary.Interventions, Cannabinoids),
            Outcomes = Resolve(Vocabulary.Outcomes, Outcomes),
            Populations = Resolve(Vocabulary.Populations, Populations),
            Comparators = Resolve(Vocabulary.Comparators, Comparators),
            SearchConditions = search?.Conditions,
            SearchCannabinoids = search?.Interventions,
            SearchRest = search?.Rest,
        };
        return (resolved, unknown);
    }

    private bool PlainSlugsKnownTo(VocabularySnapshot snapshot) =>
        new[] { (Vocabulary.Conditions, Conditions), (Vocabulary.Interventions, Cannabinoids), (Vocabulary.Outcomes, Outcomes),
                (Vocabulary.Populations, Populations), (Vocabulary.Comparators, Comparators) }
            .All(f => f.Item2 is null || f.Item2.All(value => snapshot.Contains(f.Item1, value)));
}
