using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class WriteClaimTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Create_returns_201_with_location_etag_and_a_needs_citation_claim()
    {
        var editor = await api.EditorClientAsync();
        var response = await editor.PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync());
        var claim = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/v1/claims/{claim.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("needs-citation", claim.GetProperty("status").GetString());
        Assert.Equal("unspecified", claim.GetProperty("population").GetString());
        await (await api.Client.GetAsync(response.Headers.Location)).JsonAsync();
    }

    [Fact]
    public async Task Create_with_a_quote_that_is_not_the_source_text_is_422_naming_quote()
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body["quote"] = "Cannabis cures everything";
        var problem = await (await editor.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("quote", out _));
    }

    [Fact]
    public async Task Create_with_unknown_vocabulary_or_source_is_422_naming_each_field()
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body["conditions"] = new JsonArray("migraine");
        body["outcome"] = "happiness";
        body["sourceId"] = Guid.NewGuid();
        var problem = await (await editor.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("conditions", out _));
        Assert.True(errors.TryGetProperty("outcome", out _));
        Assert.True(errors.TryGetProperty("sourceId", out _));
    }

    [Theory]
    [InlineData("direction", "sideways")]
    [InlineData("direction", "0")]
    [InlineData("unexpected", "field")]
    public async Task Create_with_bad_enum_or_unknown_property_is_400(string field, string value)
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body[field] = value == "0" ? JsonValue.Create(0) : value;
        await (await editor.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_with_missing_or_empty_fields_is_400_listing_them()
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body["conditions"] = new JsonArray();
        body["effect"] = "";
        var problem = await (await editor.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("conditions", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("effect", out _));

        body.Remove("quote");
        await (await editor.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Malformed_json_wrong_content_type_and_oversize_bodies_are_4xx_problems()
    {
        var editor = await api.EditorClientAsync();
        await (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", "{\"quote\": ")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", "quote=x", contentType: "text/plain"))
            .ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var huge = "{\"quote\": \"" + new string('x', 1_100_000) + "\"}";
        await (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", huge)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Patch_changes_fields_bumps_the_version_and_returns_the_new_etag()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var response = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}",
            new { effect = "reduces pain intensity", comparator = "placebo", routes = new[] { "oral" } }, etag, "application/merge-patch+json");
        var patched = await response.JsonAsync();
        Assert.Equal("reduces pain intensity", patched.GetProperty("effect").GetString());
        Assert.Equal("placebo", patched.GetProperty("comparator").GetString());
        Assert.Equal(2, patched.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);

        var cleared = await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", "{\"comparator\": null}", "\"2\"",
            "application/merge-patch+json")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("comparator").ValueKind);
        Assert.Equal("reduces pain intensity", cleared.GetProperty("effect").GetString());
    }

    [Fact]
    public async Task Patch_without_if_match_is_428_and_with_a_stale_etag_is_412()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}";
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "x y" })).ProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "first" }, etag)).JsonAsync();
        var stale = await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "second" }, etag))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("GET it again", stale.GetProperty("detail").GetString());
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "weak" }, "W/\"2\""))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        var current = await (await api.Client.GetAsync(url)).JsonAsync();
        Assert.Equal("first", current.GetProperty("effect").GetString());
    }

    [Theory]
    [InlineData("status", "\"cited\"")]
    [InlineData("version", "7")]
    [InlineData("overclaim", "false")]
    [InlineData("id", "\"00000000-0000-0000-0000-000000000000\"")]
    [InlineData("createdAt", "\"2020-01-01T00:00:00Z\"")]
    [InlineData("nonsense", "1")]
    public async Task Patch_cannot_set_server_owned_or_unknown_fields(string field, string value)
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var problem = await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim.GetProperty("id").GetGuid()}",
            $"{{\"{field}\": {value}}}", etag)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Patch_with_a_quote_that_no_longer_matches_is_422_and_changes_nothing()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}";
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { position = new { start = 0, end = 5 } }, etag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, (await (await api.Client.GetAsync(url)).JsonAsync()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Grading_an_uncited_claim_above_insufficient_is_422()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}";
        var problem = await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { evidenceLevel = "moderate" }, etag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("citation", problem.GetProperty("detail").GetString());

        var graded = await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { evidenceLevel = "insufficient" }, etag)).JsonAsync();
        Assert.Equal("insufficient", graded.GetProperty("evidenceLevel").GetString());
        Assert.True(graded.GetProperty("overclaim").GetBoolean()); // "suggested" wording on insufficient evidence
    }

    [Fact]
    public async Task Unknown_claim_is_404_for_every_change()
    {
        var editor = await api.EditorClientAsync();
        var id = Guid.CreateVersion7();
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { effect = "x" }, "\"1\"")).ProblemAsync(HttpStatusCode.NotFound);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "x" }, "\"1\"")).ProblemAsync(HttpStatusCode.NotFound);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "unsupported" }, "\"1\"")).ProblemAsync(HttpStatusCode.NotFound);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "pmid", identifier = "123", title = "t", year = 2020, stance = "supports" }, "\"1\"")).ProblemAsync(HttpStatusCode.NotFound);
        await (await api.Client.GetAsync($"/v1/claims/{id}/history")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retired_claims_leave_lists_but_stay_readable_and_cannot_change()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "x" }))
            .ProblemAsync(HttpStatusCode.PreconditionRequired);
        var retired = await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "duplicate of another claim" }, etag)).JsonAsync();
        Assert.True(retired.GetProperty("retired").GetBoolean());
        Assert.Equal("duplicate of another claim", retired.GetProperty("retiredReason").GetString());

        var hidden = await (await api.Client.GetAsync($"/v1/claims?id={id}")).JsonAsync();
        Assert.Empty(hidden.GetProperty("items").EnumerateArray());
        var shown = await (await api.Client.GetAsync($"/v1/claims?id={id}&includeRetired=true")).JsonAsync();
        Assert.Single(shown.GetProperty("items").EnumerateArray());
        await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync();

        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "again" }, "\"2\""))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { effect = "changed after retirement" }, "\"2\""))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "outdated" }, "\"2\""))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "pmid", identifier = "5", title = "t", year = 2020, stance = "supports" }, "\"2\"")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, (await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync()).GetProperty("version").GetInt32());
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/retire", new { reason = "" }, "\"2\""))
            .ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Writes_without_a_key_are_401_and_reads_stay_anonymous()
    {
        var response = await api.Client.PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync());
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await (await api.Client.GetAsync("/v1/claims?limit=1")).JsonAsync();
    }
}
