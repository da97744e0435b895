using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Vocabularies;

public sealed class VocabularyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Conditions_form_a_hierarchy()
    {
        var conditions = (await (await api.Client.GetAsync("/v1/conditions")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        var neuropathic = conditions.Single(c => c.GetProperty("slug").GetString() == "neuropathic-pain");
        Assert.Equal("chronic-pain", neuropathic.GetProperty("parent").GetString());
        var chronic = conditions.Single(c => c.GetProperty("slug").GetString() == "chronic-pain");
        Assert.Contains("neuropathic-pain", chronic.GetProperty("narrower").Strings());
        Assert.All(conditions, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("label").GetString())));
    }

    [Theory]
    [InlineData("/v1/cannabinoids", "thc")]
    [InlineData("/v1/cannabinoids", "cbd")]
    [InlineData("/v1/outcomes", "pain")]
    [InlineData("/v1/outcomes", "adverse-effects")]
    public async Task Flat_vocabularies_list_their_terms(string path, string slug)
    {
        var terms = await (await api.Client.GetAsync(path)).JsonAsync();
        var term = terms.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug);
        Assert.False(string.IsNullOrEmpty(term.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Every_term_the_seed_uses_is_in_its_vocabulary()
    {
        var slugs = async (string path) => (await (await api.Client.GetAsync(path)).JsonAsync()).GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("slug").GetString()).ToHashSet();
        var conditions = await slugs("/v1/conditions");
        var cannabinoids = await slugs("/v1/cannabinoids");
        var outcomes = await slugs("/v1/outcomes");
        var page = await (await api.Client.GetAsync("/v1/claims?limit=200")).JsonAsync();
        foreach (var claim in page.GetProperty("items").EnumerateArray())
        {
            Assert.Superset(claim.GetProperty("conditions").Strings().ToHashSet(), conditions!);
            Assert.Superset(claim.GetProperty("cannabinoids").Strings().ToHashSet(), cannabinoids!);
            Assert.Contains(claim.GetProperty("outcome").GetString(), outcomes);
        }
    }
}
