using System.Net;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Flags;

public sealed class FlagTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_flag_makes_the_claim_flagged_until_it_is_resolved()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();

        var response = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "unsupported", note = "no source" }, etag);
        var flag = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("open", flag.GetProperty("state").GetString());
        var flagged = await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync();
        Assert.Equal("flagged", flagged.GetProperty("status").GetString());
        Assert.Equal(1, flagged.GetProperty("openFlags").GetInt32());
        var byStatus = await (await api.Client.GetAsync($"/v1/claims?status=flagged&id={id}")).JsonAsync();
        Assert.Single(byStatus.GetProperty("items").EnumerateArray());

        var resolveUrl = $"{response.Headers.Location}/resolve";
        await (await editor.SendJsonAsync(HttpMethod.Post, resolveUrl, new { resolution = "dismissed" })).ProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await editor.SendJsonAsync(HttpMethod.Post, resolveUrl, new { resolution = "dismissed" }, "\"1\"")).ProblemAsync(HttpStatusCode.PreconditionFailed);
        var resolved = await (await editor.SendJsonAsync(HttpMethod.Post, resolveUrl, new { resolution = "dismissed", note = "it is cited in text" },
            response.Headers.GetValues("Claim-ETag").Single())).JsonAsync();
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal("dismissed", resolved.GetProperty("resolution").GetString());
        Assert.Equal("needs-citation", (await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync()).GetProperty("status").GetString());

        await (await editor.SendJsonAsync(HttpMethod.Post, resolveUrl, new { resolution = "fixed" }, "\"3\"")).ProblemAsync(HttpStatusCode.Conflict);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/flags/{Guid.NewGuid()}/resolve", new { resolution = "fixed" }, "\"3\""))
            .ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Flags_list_filters_by_state_reason_and_claim_and_pages()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        var reasons = new[] { "overstated", "outdated", "overstated", "misquoted" };
        for (var i = 0; i < reasons.Length; i++)
            await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = reasons[i] }, $"\"{i + 1}\""))
                .JsonAsync(HttpStatusCode.Created);

        var overstated = await (await api.Client.GetAsync($"/v1/flags?claim={id}&reason=overstated&state=open")).JsonAsync();
        Assert.Equal(2, overstated.GetProperty("items").GetArrayLength());

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await api.Client.GetAsync($"/v1/flags?claim={id}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.Equal(4, seen.Distinct().Count());

        await (await api.Client.GetAsync("/v1/flags?state=closed")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync("/v1/flags?reason=boring")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync("/v1/flags?cursor=zzz")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "other" }, "\"5\""))
            .ProblemAsync(HttpStatusCode.BadRequest);
    }
}
