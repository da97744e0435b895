using System.Net;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Citations;

public sealed class CitationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Citation(string kind, string identifier, string stance = "supports") =>
        new { kind, identifier, title = "Cannabinoids for chronic pain: a review", year = 2021, stance };

    [Fact]
    public async Task Citing_a_claim_normalises_the_doi_and_makes_it_cited()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var response = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            Citation("doi", "https://doi.org/10.1001/JAMA.2015.6358"), etag);
        var citation = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("10.1001/JAMA.2015.6358", citation.GetProperty("identifier").GetString());
        Assert.Equal("\"2\"", response.Headers.GetValues("Claim-ETag").Single());
        await (await api.Client.GetAsync(response.Headers.Location)).JsonAsync();

        var after = await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync();
        Assert.Equal("cited", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task The_same_identifier_twice_in_any_case_is_409()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}/citations";
        await (await editor.SendJsonAsync(HttpMethod.Post, url, Citation("doi", "10.1001/jama.2015.6358"), etag)).JsonAsync(HttpStatusCode.Created);
        await (await editor.SendJsonAsync(HttpMethod.Post, url, Citation("doi", "doi:10.1001/JAMA.2015.6358"), "\"2\""))
            .ProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("doi", "11.1000/xyz")]
    [InlineData("doi", "10.1000")]
    [InlineData("pmid", "PMC12345")]
    [InlineData("url", "ftp://example.org/paper")]
    [InlineData("url", "not a url")]
    public async Task Invalid_identifiers_are_400(string kind, string identifier)
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var problem = await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claim.GetProperty("id").GetGuid()}/citations",
            Citation(kind, identifier), etag)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("identifier", out _));
    }

    [Fact]
    public async Task A_citation_can_carry_its_own_grade_and_a_bad_one_is_400()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}/citations";
        var graded = new
        {
            kind = "pmid",
            identifier = "PMID: 28182367",
            title = "NASEM 2017",
            year = 2017,
            stance = "supports",
            grade = new { scheme = "nasem-2017", value = "substantial" }
        };
        var citation = await (await editor.SendJsonAsync(HttpMethod.Post, url, graded, etag)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("28182367", citation.GetProperty("identifier").GetString());
        Assert.Equal("nasem-2017", citation.GetProperty("grade").GetProperty("scheme").GetString());

        var wrong = new { kind = "pmid", identifier = "1", title = "t", year = 2017, stance = "supports", grade = new { scheme = "grade", value = "substantial" } };
        await (await editor.SendJsonAsync(HttpMethod.Post, url, wrong, "\"2\"")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Withdrawing_a_citation_keeps_it_in_history_and_a_grade_cannot_lose_its_last_citation()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var citation = await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations", Citation("pmid", "12345"), etag))
            .JsonAsync(HttpStatusCode.Created);
        var citationUrl = $"/v1/claims/{id}/citations/{citation.GetProperty("id").GetGuid()}";
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "limited" }, "\"2\"")).JsonAsync();

        await (await editor.SendJsonAsync(HttpMethod.Delete, citationUrl, null, "\"3\"")).ProblemAsync(HttpStatusCode.Conflict);
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "unassessed" }, "\"3\"")).JsonAsync();
        await (await editor.SendJsonAsync(HttpMethod.Delete, citationUrl, null)).ProblemAsync(HttpStatusCode.PreconditionRequired);
        var after = await (await editor.SendJsonAsync(HttpMethod.Delete, citationUrl, null, "\"4\"")).JsonAsync();
        Assert.Equal("needs-citation", after.GetProperty("status").GetString());
        await (await api.Client.GetAsync(citationUrl)).ProblemAsync(HttpStatusCode.NotFound);
        await (await editor.SendJsonAsync(HttpMethod.Delete, citationUrl, null, "\"5\"")).ProblemAsync(HttpStatusCode.NotFound);

        var history = await (await api.Client.GetAsync($"/v1/claims/{id}/history")).JsonAsync();
        var cited = history.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("change").GetString() == "cited");
        Assert.Equal("12345", cited.GetProperty("claim").GetProperty("citations")[0].GetProperty("identifier").GetString());
        await using var db = api.DataSource();
        await using var count = db.CreateCommand($"select count(*) from citations where claim_id = '{id}'");
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
