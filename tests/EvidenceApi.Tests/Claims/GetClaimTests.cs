using System.Net;
using System.Net.Http.Headers;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class GetClaimTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private async Task<Guid> AnyClaimIdAsync()
    {
        var page = await (await _client.GetAsync("/v1/claims?limit=1")).JsonAsync();
        return page.GetProperty("items")[0].GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Get_returns_the_claim_with_its_version_as_etag()
    {
        var id = await AnyClaimIdAsync();
        var response = await _client.GetAsync($"/v1/claims/{id}");
        var claim = await response.JsonAsync();
        Assert.Equal(id, claim.GetProperty("id").GetGuid());
        Assert.Equal($"\"{claim.GetProperty("version").GetInt32()}\"", response.Headers.ETag?.Tag);
        Assert.NotNull(response.Headers.CacheControl);
        Assert.Equal(7, id.Version);
        foreach (var field in new[] { "source", "quote", "position", "section", "conditions", "cannabinoids", "routes", "population",
                     "comparator", "effect", "outcome", "direction", "claimedStrength", "evidenceLevel", "overclaim", "citations",
                     "status", "openFlags", "retired", "version", "createdAt", "updatedAt" })
            Assert.True(claim.TryGetProperty(field, out _), $"missing {field}");
    }

    [Fact]
    public async Task If_none_match_with_the_current_etag_gives_304()
    {
        var id = await AnyClaimIdAsync();
        var first = await _client.GetAsync($"/v1/claims/{id}");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/claims/{id}");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task If_none_match_with_another_etag_gives_the_claim()
    {
        var id = await AnyClaimIdAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/claims/{id}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"999\""));
        await (await _client.SendAsync(request)).JsonAsync();
    }

    [Fact]
    public async Task Unknown_claim_is_404_problem()
    {
        var problem = await (await _client.GetAsync($"/v1/claims/{Guid.CreateVersion7()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no claim", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Malformed_claim_id_is_400_problem()
    {
        await (await _client.GetAsync("/v1/claims/not-a-uuid")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
