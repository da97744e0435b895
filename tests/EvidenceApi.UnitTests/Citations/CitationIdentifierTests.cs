using EvidenceApi.Citations;

namespace EvidenceApi.UnitTests.Citations;

public sealed class CitationIdentifierTests
{
    [Theory]
    [InlineData(CitationKind.Doi, "10.17226/24625", "10.17226/24625")]
    [InlineData(CitationKind.Doi, "https://doi.org/10.17226/24625", "10.17226/24625")]
    [InlineData(CitationKind.Doi, "doi:10.1001/jama.2015.6358", "10.1001/jama.2015.6358")]
    [InlineData(CitationKind.Doi, "11.1000/x", null)]
    [InlineData(CitationKind.Pmid, "PMID: 26103030", "26103030")]
    [InlineData(CitationKind.Pmid, "2610x", null)]
    [InlineData(CitationKind.Url, "https://nap.nationalacademies.org/catalog/24625", "https://nap.nationalacademies.org/catalog/24625")]
    [InlineData(CitationKind.Url, "javascript:alert(1)", null)]
    [InlineData(CitationKind.Url, "/relative", null)]
    public void Identifiers_are_validated_and_normalised(CitationKind kind, string given, string? stored) =>
        Assert.Equal(stored, CitationIdentifiers.Normalise(kind, given));
}
