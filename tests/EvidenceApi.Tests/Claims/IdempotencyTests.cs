using System.Net;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class IdempotencyTests(IdempotencyTests.ShortLivedKeys api) : IClassFixture<IdempotencyTests.ShortLivedKeys>
{
    public sealed class ShortLivedKeys : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Idempotency:Lifetime"] = "00:00:02" };
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var db = api.DataSource();
        await using var command = db.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_first_response_and_creates_nothing()
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body["effect"] = "idempotent " + Guid.NewGuid();
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var first = await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: key);
        var second = await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: ("Idempotency-Key", $"\"{key.Item2}\""));
        var a = await first.JsonAsync(HttpStatusCode.Created);
        var b = await second.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(a.GetRawText(), b.GetRawText());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountAsync($"select count(*) from claims where effect = '{body["effect"]}'"));

        body["effect"] = "something else";
        await (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: key)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Concurrent_retries_of_a_citation_add_it_once()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var citation = new { kind = "pmid", identifier = "999", title = "t", year = 2020, stance = "mixed" };
        var key = ("Idempotency-Key", "cite-" + Guid.NewGuid());
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations", citation, etag, headers: key)));
        var bodies = new List<string>();
        foreach (var response in responses) bodies.Add((await response.JsonAsync(HttpStatusCode.Created)).GetRawText());
        Assert.Single(bodies.Distinct());
        Assert.Equal(1, await CountAsync($"select count(*) from citations where claim_id = '{id}'"));
        Assert.Equal(2, await CountAsync($"select max(version)::bigint from claim_revisions where claim_id = '{id}'"));
    }

    [Fact]
    public async Task Keys_are_scoped_to_their_editor_and_expire()
    {
        var alice = await api.EditorClientAsync();
        var bob = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        var key = ("Idempotency-Key", "shared-" + Guid.NewGuid());
        var a = await (await alice.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: key)).JsonAsync(HttpStatusCode.Created);
        var b = await (await bob.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: key)).JsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var c = await (await alice.SendJsonAsync(HttpMethod.Post, "/v1/claims", body, headers: key)).JsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(a.GetProperty("id").GetGuid(), c.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_failed_request_is_not_stored_so_its_retry_runs_again()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id").GetGuid()}/flags";
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        await (await editor.SendJsonAsync(HttpMethod.Post, url, new { reason = "outdated" }, "\"9\"", headers: key)).ProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await editor.SendJsonAsync(HttpMethod.Post, url, new { reason = "outdated" }, "\"9\"", headers: key)).ProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await editor.SendJsonAsync(HttpMethod.Post, url, new { reason = "outdated" }, "\"1\"", headers: ("Idempotency-Key", new string('k', 300)))).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
