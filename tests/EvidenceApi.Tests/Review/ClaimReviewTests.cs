using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Review;

/// <summary>ClaimReview as schema.org defines it and as search engines' fact-check guidelines require it: claimReviewed,
/// reviewRating with alternateName (the verdict in words), url, author; itemReviewed a Claim with its appearance (and author, when known);
/// datePublished.</summary>
public sealed class ClaimReviewTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<(JsonElement Review, HttpResponseMessage Response)> ReviewAsync(Guid id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/claims/{id}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/ld+json"));
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType!.MediaType);
        return (JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, response);
    }

    private static string Verdict(JsonElement review) => review.GetProperty("reviewRating").GetProperty("alternateName").GetString()!;

    [Fact]
    public async Task A_claim_is_a_ClaimReview_with_every_required_property()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var (review, response) = await ReviewAsync(id);

        Assert.Equal("https://schema.org", review.GetProperty("@context").GetString());
        Assert.Equal("ClaimReview", review.GetProperty("@type").GetString());
        Assert.Equal(claim.GetProperty("quote").GetString(), review.GetProperty("claimReviewed").GetString());
        Assert.True(Uri.TryCreate(review.GetProperty("url").GetString(), UriKind.Absolute, out _));
        Assert.Equal("Organization", review.GetProperty("author").GetProperty("@type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(review.GetProperty("author").GetProperty("name").GetString()));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", review.GetProperty("datePublished").GetString());
        var item = review.GetProperty("itemReviewed");
        Assert.Equal("Claim", item.GetProperty("@type").GetString());
        Assert.False(item.TryGetProperty("author", out _)); // the seeded article names no author or publisher: none is made up
        Assert.Equal("CreativeWork", item.GetProperty("appearance").GetProperty("@type").GetString());
        Assert.True(Uri.TryCreate(item.GetProperty("appearance").GetProperty("url").GetString(), UriKind.Absolute, out _));
        Assert.Equal("Rating", review.GetProperty("reviewRating").GetProperty("@type").GetString());
        Assert.Equal("Needs citation", Verdict(review));
        Assert.Contains("Accept", response.Headers.Vary);

        // once the source names its authors, the claim is theirs
        var sourceUrl = $"/v1/sources/{claim.GetProperty("source").GetProperty("id").GetGuid()}";
        var source = await api.Client.GetAsync(sourceUrl);
        await (await editor.SendJsonAsync(HttpMethod.Patch, sourceUrl, new { authors = new[] { "A. Writer" } }, source.Headers.ETag!.Tag)).JsonAsync();
        var authors = (await ReviewAsync(id)).Review.GetProperty("itemReviewed").GetProperty("author");
        Assert.Equal("Person", authors[0].GetProperty("@type").GetString());
        Assert.Equal("A. Writer", authors[0].GetProperty("name").GetString());

        // plain JSON is still the default
        var plain = await api.Client.GetAsync($"/v1/claims/{id}");
        Assert.Equal("application/json", plain.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_verdict_follows_the_claim()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor); // suggested
        var id = claim.GetProperty("id").GetGuid();
        var cite = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "doi", identifier = "10.1000/review", title = "A trial", year = 2020, stance = "supports" }, etag);
        etag = cite.Headers.GetValues("Claim-ETag").Single();
        Assert.Equal("Cited, not yet graded", Verdict((await ReviewAsync(id)).Review));

        var graded = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "substantial" }, etag);
        etag = graded.Headers.ETag!.Tag;
        var supported = (await ReviewAsync(id)).Review.GetProperty("reviewRating");
        Assert.Equal("Supported at level substantial", supported.GetProperty("alternateName").GetString());
        Assert.Equal(4, supported.GetProperty("ratingValue").GetInt32());
        Assert.Equal(5, supported.GetProperty("bestRating").GetInt32());
        Assert.Equal(1, supported.GetProperty("worstRating").GetInt32());

        var over = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "insufficient" }, etag);
        etag = over.Headers.ETag!.Tag;
        Assert.Equal("Overclaimed", Verdict((await ReviewAsync(id)).Review));

        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "unsupported" }, etag)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Unsupported", Verdict((await ReviewAsync(id)).Review));
    }

    [Fact]
    public async Task Refuting_evidence_is_never_published_as_support()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var cite = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "doi", identifier = "10.1000/refutes", title = "A null trial", year = 2021, stance = "refutes" }, etag);
        etag = cite.Headers.GetValues("Claim-ETag").Single();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "substantial" }, etag)).JsonAsync();
        Assert.Equal("Refuted by the cited evidence", Verdict((await ReviewAsync(id)).Review));
    }

    [Theory]
    [InlineData("application/ld+json;q=0.5, */*;q=1", "application/json")]
    [InlineData("application/ld+json;q=-1", "application/json")]
    [InlineData("application/ld+json;q=abc", "application/json")]
    [InlineData("application/json;q=0.5, application/ld+json", "application/ld+json")]
    public async Task Accept_is_negotiated_by_quality(string accept, string expected)
    {
        var id = (await (await api.Client.GetAsync("/v1/claims?limit=1")).JsonAsync()).GetProperty("items")[0].GetProperty("id").GetGuid();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/claims/{id}");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        Assert.Equal(expected, (await api.Client.SendAsync(request)).Content.Headers.ContentType!.MediaType);
    }
}
