using EvidenceApi.Vocabularies;

namespace EvidenceApi.UnitTests.Vocabularies;

public sealed class SynonymSearchTests
{
    private static readonly VocabularySnapshot Snapshot = new(1, new Dictionary<Vocabulary, IReadOnlyList<CachedTerm>>
    {
        [Vocabulary.Conditions] =
        [
            new("chronic-pain", "Chronic pain", [], [], [], false),
            new("neuropathic-pain", "Neuropathic pain", ["nerve pain", "neuropathy"], ["chronic-pain"], [], false),
            new("diabetic-neuropathy", "Diabetic neuropathy", [], ["neuropathic-pain"], [], false),
        ],
        [Vocabulary.Interventions] =
        [
            new("whole-plant-cannabis", "Cannabis", ["marijuana", "medical marijuana", "weed"], [], [], false),
        ],
        [Vocabulary.Outcomes] = [new("sleep", "Sleep", ["insomnia"], [], [], false)],
        [Vocabulary.Comparators] = [],
        [Vocabulary.Populations] = [],
    });

    [Fact]
    public void A_synonym_names_its_term_and_every_narrower_one()
    {
        var named = Snapshot.TermsNamedIn("Nerve  pain")!;
        Assert.Equal(["diabetic-neuropathy", "neuropathic-pain"], named.Conditions!);
        Assert.Null(named.Interventions);
        Assert.Null(named.Rest);
    }

    [Fact]
    public void The_longest_synonym_wins_and_the_other_words_are_left()
    {
        var named = Snapshot.TermsNamedIn("medical marijuana for nerve pain relief")!;
        Assert.Equal(["whole-plant-cannabis"], named.Interventions!);
        Assert.Equal("for relief", named.Rest);
    }

    [Fact]
    public void A_name_two_vocabularies_share_names_a_term_in_each()
    {
        var shared = new VocabularySnapshot(1, new Dictionary<Vocabulary, IReadOnlyList<CachedTerm>>
        {
            [Vocabulary.Conditions] = [new("odd", "Odd", ["weed"], [], [], false)],
            [Vocabulary.Interventions] = [new("whole-plant-cannabis", "Cannabis", ["weed"], [], [], false)],
            [Vocabulary.Outcomes] = [],
            [Vocabulary.Comparators] = [],
            [Vocabulary.Populations] = [],
        });
        var named = shared.TermsNamedIn("weed weed")!;
        Assert.Equal(["odd"], named.Conditions!);
        Assert.Equal(["whole-plant-cannabis"], named.Interventions!);
        Assert.Null(named.Rest);
    }

    [Theory]
    [InlineData("nerves painful")] // whole words only
    [InlineData("insomnia")] // outcomes are not widened into searches
    [InlineData("weed -sleep")] // an exclusion could turn the meaning around
    [InlineData("weed or sleep")]
    public void Searches_that_name_no_term_or_use_operators_are_left_alone(string query) => Assert.Null(Snapshot.TermsNamedIn(query));

    [Fact]
    public void Codes_resolve_to_their_terms_and_unknown_ones_are_reported()
    {
        var coded = new VocabularySnapshot(1, new Dictionary<Vocabulary, IReadOnlyList<CachedTerm>>
        {
            [Vocabulary.Conditions] = [new("fibromyalgia", "Fibromyalgia", [], [], [new("http://id.nlm.nih.gov/mesh", "D005356", "Fibromyalgia")], false)],
            [Vocabulary.Interventions] = [],
            [Vocabulary.Outcomes] = [],
            [Vocabulary.Comparators] = [],
            [Vocabulary.Populations] = [],
        });
        var errors = new List<string>();
        Assert.Equal(["fibromyalgia"], coded.Resolve(Vocabulary.Conditions, ["mesh:D005356"], false, errors));
        Assert.Empty(errors);
        Assert.Empty(coded.Resolve(Vocabulary.Conditions, ["mesh:D010146"], false, errors));
        Assert.Single(errors);
    }
}
