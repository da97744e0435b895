using EvidenceApi.Vocabularies;

namespace EvidenceApi.UnitTests.Vocabularies;

public sealed class CodeSystemTests
{
    private static string? Problem(string prefix, string code) => CodeSystems.Problem(new Coding(CodeSystems.ByPrefix(prefix)!.Uri, code, null));

    // SNOMED CT concept ids verified against public copies (README, "Standard codes")
    [Theory]
    [InlineData("69896004")]
    [InlineData("82423001")]
    [InlineData("203082005")]
    [InlineData("396275006")]
    public void Real_snomed_concept_ids_pass_the_verhoeff_check(string id) => Assert.Null(Problem("snomed", id));

    [Theory]
    [InlineData("69896005")] // check digit off by one
    [InlineData("82423009")]
    [InlineData("203082015")] // partition 01 is a description id, not a concept
    [InlineData("0203082005")] // leading zero
    [InlineData("12345")] // too short
    [InlineData("2030820O5")] // letter O
    public void Bad_snomed_ids_are_refused(string id) => Assert.NotNull(Problem("snomed", id));

    [Fact]
    public void Verhoeff_detects_every_single_digit_error_and_adjacent_swap()
    {
        const string valid = "396275006";
        Assert.True(Verhoeff.IsValid(valid));
        for (var i = 0; i < valid.Length; i++)
        {
            for (var d = '0'; d <= '9'; d++)
                if (d != valid[i]) Assert.False(Verhoeff.IsValid(valid[..i] + d + valid[(i + 1)..]), $"{i}:{d}");
            if (i + 1 < valid.Length && valid[i] != valid[i + 1])
                Assert.False(Verhoeff.IsValid(valid[..i] + valid[i + 1] + valid[i] + valid[(i + 2)..]), $"swap {i}");
        }
    }

    [Theory]
    [InlineData("mesh", "D005356", true)]
    [InlineData("mesh", "C000603920", true)]
    [InlineData("mesh", "C12345", false)]
    [InlineData("mesh", "D05356", false)]
    [InlineData("mesh", "d005356", false)]
    [InlineData("atc", "A04AD10", true)]
    [InlineData("atc", "N02BG10", true)]
    [InlineData("atc", "N02", true)]
    [InlineData("atc", "N", true)]
    [InlineData("atc", "E04AD10", false)]
    [InlineData("atc", "A04AD1", false)]
    [InlineData("atc", "A4AD10", false)]
    [InlineData("icd11", "MG30", true)]
    [InlineData("icd11", "MG30.5", true)]
    [InlineData("icd11", "8E43.0", true)]
    [InlineData("icd11", "MG3", false)]
    [InlineData("icd11", "MO30", false)]
    [InlineData("rxnorm", "197634", true)]
    [InlineData("rxnorm", "x1", false)]
    [InlineData("unii", "7J8897W37S", true)]
    [InlineData("unii", "7J8897W37", false)]
    [InlineData("chebi", "CHEBI:69478", true)]
    [InlineData("chebi", "69478", false)]
    public void Codes_are_checked_against_their_systems_format(string prefix, string code, bool valid) =>
        Assert.Equal(valid, Problem(prefix, code) is null);

    [Fact]
    public void An_unknown_system_is_refused() =>
        Assert.NotNull(CodeSystems.Problem(new Coding("http://example.org/codes", "123", null)));

    [Theory]
    [InlineData("mesh:D005356", "http://id.nlm.nih.gov/mesh", "D005356")]
    [InlineData("SNOMED:203082005", "http://snomed.info/sct", "203082005")]
    [InlineData("chebi:CHEBI:69478", "http://purl.obolibrary.org/obo/chebi", "CHEBI:69478")]
    public void Filter_references_name_a_system_and_a_code(string value, string system, string code)
    {
        Assert.True(CodeSystems.TryParseReference(value, out var parsed, out var parsedCode));
        Assert.Equal((system, code), (parsed.Uri, parsedCode));
    }

    [Theory]
    [InlineData("neuropathic-pain")]
    [InlineData("foo:bar")]
    public void Slugs_and_unknown_prefixes_are_not_code_references(string value) =>
        Assert.False(CodeSystems.TryParseReference(value, out _, out _));
}
