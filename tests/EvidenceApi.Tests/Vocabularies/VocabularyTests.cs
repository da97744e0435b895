using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Vocabularies;

public sealed class VocabularyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<JsonElement> TermAsync(string vocabulary, string slug) =>
        await (await api.Client.GetAsync($"/v1/{vocabulary}/{slug}")).JsonAsync();

    private async Task<List<string>> ClaimIdsAsync(string query) =>
        (await (await api.Client.GetAsync($"/v1/claims?limit=200&{query}")).JsonAsync()).GetProperty("items").EnumerateArray()
        .Select(c => c.GetProperty("id").GetString()!).ToList();

    [Theory]
    [InlineData("conditions", "neuropathic-pain")]
    [InlineData("interventions", "nabiximols")]
    [InlineData("outcomes", "pain")]
    [InlineData("comparators", "placebo")]
    [InlineData("populations", "cancer-patients")]
    public async Task Every_vocabulary_lists_and_gets_its_terms(string vocabulary, string slug)
    {
        var page = await (await api.Client.GetAsync($"/v1/{vocabulary}")).JsonAsync();
        Assert.Contains(slug, page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
        var response = await api.Client.GetAsync($"/v1/{vocabulary}/{slug}");
        var term = await response.JsonAsync();
        Assert.StartsWith($"\"{term.GetProperty("version").GetInt32()}-", response.Headers.ETag!.Tag);
        Assert.False(string.IsNullOrEmpty(term.GetProperty("label").GetString()));
        Assert.Equal(JsonValueKind.Array, term.GetProperty("synonyms").ValueKind);
        Assert.Equal(JsonValueKind.Array, term.GetProperty("codings").ValueKind);
        await (await api.Client.GetAsync($"/v1/{vocabulary}/no-such-term")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_audited_hierarchy_holds()
    {
        // osteoarthritis is degenerative: not narrower than inflammatory pain by any path
        var inflammatory = await ClaimIdsAsync("condition=inflammatory-pain&includeNarrower=true");
        var osteoarthritisOnly = await ClaimIdsAsync("condition=osteoarthritis");
        Assert.NotEmpty(osteoarthritisOnly);
        Assert.Empty(osteoarthritisOnly.Intersect(inflammatory));

        // several parents: rheumatoid arthritis sits under arthritis and inflammatory pain; fibromyalgia under musculoskeletal pain
        Assert.Equal(["arthritis", "inflammatory-pain"], (await TermAsync("conditions", "rheumatoid-arthritis")).GetProperty("broader").Strings());
        var musculoskeletal = await ClaimIdsAsync("condition=musculoskeletal-pain&includeNarrower=true");
        Assert.Subset(musculoskeletal.ToHashSet(), (await ClaimIdsAsync("condition=fibromyalgia")).ToHashSet());
        Assert.Subset(musculoskeletal.ToHashSet(), osteoarthritisOnly.ToHashSet());

        // cancer pain is not chronic pain by definition
        Assert.DoesNotContain("chronic-pain", (await TermAsync("conditions", "cancer-pain")).GetProperty("broader").Strings());
        Assert.Contains("pain", (await TermAsync("conditions", "cancer-pain")).GetProperty("broader").Strings());

        // terpenes and ECS modulators are not cannabinoids
        var cannabinoidClaims = await ClaimIdsAsync("cannabinoid=cannabinoids&includeNarrower=true");
        Assert.Empty((await ClaimIdsAsync("cannabinoid=terpenes")).Except(await ClaimIdsAsync("cannabinoid=thc,cbd,cannabinoids,whole-plant-cannabis")).Intersect(cannabinoidClaims));
        Assert.Subset(cannabinoidClaims.ToHashSet(), (await ClaimIdsAsync("cannabinoid=thc,cbd")).ToHashSet());
    }

    [Fact]
    public async Task Thc_with_narrower_terms_finds_products_through_every_path()
    {
        var editor = await api.EditorClientAsync();
        var ids = new Dictionary<string, string>();
        foreach (var product in new[] { "dronabinol", "nabiximols", "nabilone" })
        {
            var body = await api.NewClaimBodyAsync();
            body["cannabinoids"] = new JsonArray(product);
            ids[product] = (await (await editor.PostAsJsonAsync("/v1/claims", body)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }

        var thc = await ClaimIdsAsync("cannabinoid=thc&includeNarrower=true");
        Assert.Contains(ids["dronabinol"], thc);
        Assert.Contains(ids["nabiximols"], thc);
        Assert.DoesNotContain(ids["nabilone"], thc); // an analogue, not THC
        Assert.Contains(ids["nabiximols"], await ClaimIdsAsync("cannabinoid=cbd&includeNarrower=true"));
        // two levels up: class → substance → product, and a second path through synthetic cannabinoids
        var everyCannabinoid = await ClaimIdsAsync("cannabinoid=cannabinoids&includeNarrower=true");
        Assert.Subset(everyCannabinoid.ToHashSet(), ids.Values.ToHashSet());
        Assert.DoesNotContain(ids["dronabinol"], await ClaimIdsAsync("cannabinoid=thc"));
        // a code filter: dronabinol's ATC code
        Assert.Equal([ids["dronabinol"]], await ClaimIdsAsync("cannabinoid=atc:A04AD10"));
    }

    [Fact]
    public async Task Filters_accept_verified_codes()
    {
        Assert.Equal(await ClaimIdsAsync("condition=fibromyalgia"), await ClaimIdsAsync("condition=mesh:D005356"));
        Assert.Equal(await ClaimIdsAsync("condition=fibromyalgia"), await ClaimIdsAsync("condition=snomed:203082005"));
        Assert.Equal(await ClaimIdsAsync("condition=chronic-pain&includeNarrower=true"), await ClaimIdsAsync("condition=icd11:MG30&includeNarrower=true"));
        var fibromyalgia = await TermAsync("conditions", "fibromyalgia");
        Assert.Contains(fibromyalgia.GetProperty("codings").EnumerateArray(),
            c => c.GetProperty("system").GetString() == "http://id.nlm.nih.gov/mesh" && c.GetProperty("code").GetString() == "D005356");

        // a well-formed code no term has is an unknown term; a malformed one is refused before that
        var unknown = await (await api.Client.GetAsync("/v1/claims?condition=mesh:D000001")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("D000001", unknown.GetProperty("errors").GetProperty("condition")[0].GetString());
        await (await api.Client.GetAsync("/v1/claims?condition=snomed:203082006")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync("/v1/claims/facets?by=status&cannabinoid=atc:XX")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_synonym_search_finds_claims_tagged_with_the_term()
    {
        // "nerve pain" appears in no seeded quote, but neuropathic-pain claims are tagged
        var neuropathic = await ClaimIdsAsync("condition=neuropathic-pain&includeNarrower=true");
        var found = await ClaimIdsAsync("q=nerve%20pain");
        Assert.NotEmpty(neuropathic);
        Assert.Subset(found.ToHashSet(), neuropathic.ToHashSet());
        // the rest of the search still has to match
        var withWord = await ClaimIdsAsync("q=nerve%20pain%20strains");
        Assert.NotEmpty(withWord);
        Assert.True(withWord.Count < neuropathic.Count);
        // a synonym said twice is still the synonym; stop words left over ask nothing more
        Assert.Equal(found, await ClaimIdsAsync("q=nerve%20pain%20nerve%20pain"));
        Assert.Equal(found, await ClaimIdsAsync("q=nerve%20pain%20the"));
        Assert.Equal((await (await api.Client.GetAsync("/v1/claims/facets?by=status&q=weed")).JsonAsync()).GetProperty("total").GetInt32(),
            (await (await api.Client.GetAsync("/v1/claims/facets?by=status&cannabinoid=whole-plant-cannabis&includeNarrower=true")).JsonAsync())
            .GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Terms_are_found_by_label_or_synonym()
    {
        var match = async (string text) => (await (await api.Client.GetAsync($"/v1/conditions?match={Uri.EscapeDataString(text)}")).JsonAsync())
            .GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ToList();
        Assert.Equal(["neuropathic-pain"], await match("nerve pain"));
        Assert.Equal(["neuropathic-pain"], await match("NEUROPATHY"));
        Assert.Contains("osteoarthritis", await match("arthritis"));
        Assert.Empty(await match("100%_"));
        var interventions = await (await api.Client.GetAsync("/v1/interventions?match=marijuana")).JsonAsync();
        Assert.Equal(["whole-plant-cannabis"], interventions.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task Term_lists_page_by_slug()
    {
        var first = await (await api.Client.GetAsync("/v1/interventions?limit=3")).JsonAsync();
        var next = await (await api.Client.GetAsync($"/v1/interventions?limit=3&cursor={first.GetProperty("nextCursor").GetString()}")).JsonAsync();
        var slugs = first.GetProperty("items").EnumerateArray().Concat(next.GetProperty("items").EnumerateArray())
            .Select(t => t.GetProperty("slug").GetString()!).ToList();
        Assert.Equal(6, slugs.Distinct().Count());
        Assert.Equal(slugs.Order(StringComparer.Ordinal), slugs);
        await (await api.Client.GetAsync("/v1/interventions?cursor=nonsense")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Every_term_the_seed_uses_is_in_its_vocabulary()
    {
        var slugs = async (string path) => (await (await api.Client.GetAsync($"{path}?limit=200&includeRetired=true")).JsonAsync())
            .GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ToHashSet();
        var (conditions, interventions, outcomes) = (await slugs("/v1/conditions"), await slugs("/v1/interventions"), await slugs("/v1/outcomes"));
        var (populations, comparators) = (await slugs("/v1/populations"), await slugs("/v1/comparators"));
        var page = await (await api.Client.GetAsync("/v1/claims?limit=200")).JsonAsync();
        foreach (var claim in page.GetProperty("items").EnumerateArray())
        {
            Assert.Superset(claim.GetProperty("conditions").Strings().ToHashSet(), conditions!);
            Assert.Superset(claim.GetProperty("cannabinoids").Strings().ToHashSet(), interventions!);
            Assert.Contains(claim.GetProperty("outcome").GetString(), outcomes);
            Assert.Contains(claim.GetProperty("population").GetString(), populations);
            if (claim.GetProperty("comparator").ValueKind == JsonValueKind.String) Assert.Contains(claim.GetProperty("comparator").GetString(), comparators);
        }
    }
}
