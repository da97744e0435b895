using System.Net;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Infrastructure.Http;

public sealed class HttpCachingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<HttpResponseMessage> GetWithAsync(string url, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        return await api.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("/v1/claims?condition=cancer-pain")]
    [InlineData("/v1/claims/facets?by=status")]
    [InlineData("/v1/conditions")]
    [InlineData("/v1/cannabinoids")]
    [InlineData("/v1/interventions/thc")]
    [InlineData("/v1/outcomes")]
    [InlineData("/v1/sources")]
    [InlineData("/v1/flags?state=open")]
    public async Task Reads_carry_etag_and_cache_control_and_revalidate_with_304(string url)
    {
        var first = await api.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(first.Headers.ETag);
        Assert.NotNull(first.Headers.CacheControl);
        var again = await GetWithAsync(url, first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
    }

    [Fact]
    public async Task An_edit_changes_the_etag_of_the_claim_and_of_the_lists_that_show_it()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var listUrl = $"/v1/claims?id={id}";
        var facetsUrl = $"/v1/claims/facets?by=status&id={id}";
        var list = (await api.Client.GetAsync(listUrl)).Headers.ETag!.Tag;
        var facets = (await api.Client.GetAsync(facetsUrl)).Headers.ETag!.Tag;

        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "unsupported" }, etag)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.OK, (await GetWithAsync($"/v1/claims/{id}", etag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithAsync(listUrl, list)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithAsync(facetsUrl, facets)).StatusCode);
    }
}

public sealed class CorsTests(CorsTests.WithOrigins api) : IClassFixture<CorsTests.WithOrigins>
{
    public sealed class WithOrigins : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://app.example" };
    }

    [Fact]
    public async Task Preflight_allows_writes_with_their_headers_from_a_configured_origin()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, $"/v1/claims/{Guid.NewGuid()}");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,if-match,idempotency-key,content-type");
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PATCH", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant();
        foreach (var header in new[] { "authorization", "if-match", "idempotency-key", "content-type" }) Assert.Contains(header, allowed);
    }

    [Fact]
    public async Task Reads_expose_etag_and_link_to_scripts_only_for_configured_origins()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/claims?limit=1");
        request.Headers.Add("Origin", "https://app.example");
        var response = await api.Client.SendAsync(request);
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single();
        Assert.Contains("ETag", exposed);
        Assert.Contains("Link", exposed);

        var stranger = new HttpRequestMessage(HttpMethod.Get, "/v1/claims?limit=1");
        stranger.Headers.Add("Origin", "https://evil.example");
        Assert.False((await api.Client.SendAsync(stranger)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class RateLimitTests(RateLimitTests.Limited api) : IClassFixture<RateLimitTests.Limited>
{
    public sealed class Limited : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:AnonymousPermitLimit"] = "5",
            ["RateLimiting:EditorPermitLimit"] = "8",
            ["RateLimiting:WindowSeconds"] = "60",
        };
    }

    [Fact]
    public async Task Anonymous_reads_over_the_limit_get_429_with_retry_after_and_editors_have_their_own_budget()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) statuses.Add((await api.Client.GetAsync("/v1/conditions")).StatusCode);
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));

        var limited = await api.Client.GetAsync("/v1/conditions");
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) > 0);

        var editor = await api.EditorClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/v1/conditions")).StatusCode);
    }
}
