using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Review;

public sealed class ReviewQueueTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // claims of these tests carry a condition no seeded claim has, so the queue can be read for them alone
    private const string Condition = "glaucoma";

    private async Task<(Guid Id, string ETag)> ClaimAsync(HttpClient editor, string strength)
    {
        var body = await api.NewClaimBodyAsync();
        body["conditions"] = new JsonArray(Condition);
        body["claimedStrength"] = strength;
        var response = await editor.PostAsJsonAsync("/v1/claims", body);
        var claim = await response.JsonAsync(HttpStatusCode.Created);
        return (claim.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task The_queue_puts_open_flags_first_then_overclaims_then_uncited_claims_by_strength()
    {
        var editor = await api.EditorClientAsync();
        var speculative = await ClaimAsync(editor, "speculative");
        var suggested = await ClaimAsync(editor, "suggested");
        var asserted = await ClaimAsync(editor, "asserted");
        var overclaimed = await ClaimAsync(editor, "asserted");
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{overclaimed.Id}", new { evidenceLevel = "insufficient" }, overclaimed.ETag)).JsonAsync();
        var cited = await ClaimAsync(editor, "asserted");
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{cited.Id}/citations",
            new { kind = "doi", identifier = "10.1000/queue", title = "A trial", year = 2020, stance = "supports" }, cited.ETag)).JsonAsync(HttpStatusCode.Created);
        var flaggedLater = await ClaimAsync(editor, "speculative");
        var flaggedFirst = await ClaimAsync(editor, "suggested");
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{flaggedFirst.Id}/flags", new { reason = "unsupported" }, flaggedFirst.ETag))
            .JsonAsync(HttpStatusCode.Created);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{flaggedLater.Id}/flags", new { reason = "overstated" }, flaggedLater.ETag))
            .JsonAsync(HttpStatusCode.Created);

        var page = await (await editor.GetAsync($"/v1/review-queue?condition={Condition}")).JsonAsync();
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([flaggedFirst.Id, flaggedLater.Id, overclaimed.Id, asserted.Id, suggested.Id, speculative.Id],
            items.Select(i => i.GetProperty("claim").GetProperty("id").GetGuid()));
        Assert.Equal([1, 1, 2, 3, 4, 5], items.Select(i => i.GetProperty("tier").GetInt32()));
        Assert.Contains("overclaimed", items[2].GetProperty("reasons")[0].GetString());

        // paged one at a time, the same order
        var walked = new List<Guid>();
        string? cursor = null;
        do
        {
            var one = await (await editor.GetAsync($"/v1/review-queue?condition={Condition}&limit=1{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}")).JsonAsync();
            walked.AddRange(one.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("claim").GetProperty("id").GetGuid()));
            cursor = one.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.Equal(items.Select(i => i.GetProperty("claim").GetProperty("id").GetGuid()), walked);
    }

    [Fact]
    public async Task The_queue_is_for_editors_and_filters_by_source()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.GetAsync("/v1/review-queue")).StatusCode);
        var editor = await api.EditorClientAsync();
        var all = await (await editor.GetAsync("/v1/review-queue?limit=200")).JsonAsync();
        Assert.True(all.GetProperty("items").GetArrayLength() >= 91, "every seeded claim is uncited, so in the queue");
        var source = all.GetProperty("items")[0].GetProperty("claim").GetProperty("source").GetProperty("id").GetGuid();
        Assert.Empty((await (await editor.GetAsync($"/v1/review-queue?source={Guid.NewGuid()}")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.NotEmpty((await (await editor.GetAsync($"/v1/review-queue?source={source}")).JsonAsync()).GetProperty("items").EnumerateArray());
        await (await editor.GetAsync("/v1/review-queue?source=nope")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.GetAsync("/v1/review-queue?condition=no-such-condition")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.GetAsync("/v1/review-queue?cursor=x")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
