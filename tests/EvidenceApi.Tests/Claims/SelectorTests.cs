using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class SelectorTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<(HttpClient Editor, string SourceId, string Text)> SourceAsync()
    {
        var editor = await api.EditorClientAsync();
        var content = $"Heading one\n\nCBD may ease “nerve pain” — in some adults.  It may help sleep.\n\nHeading two\n\nIt may help sleep. Copy {Guid.NewGuid()}.";
        var response = await editor.PostAsJsonAsync("/v1/sources", new { title = "Selectors", format = "text", content });
        var source = await response.JsonAsync(HttpStatusCode.Created);
        var text = (await (await api.Client.GetAsync(response.Headers.Location)).JsonAsync()).GetProperty("text").GetString()!;
        return (editor, source.GetProperty("id").GetString()!, text);
    }

    private static JsonObject Body(string sourceId, params JsonObject[] selectors) => new()
    {
        ["sourceId"] = sourceId,
        ["selectors"] = new JsonArray(selectors),
        ["conditions"] = new JsonArray("neuropathic-pain"),
        ["cannabinoids"] = new JsonArray("cbd"),
        ["effect"] = "eases nerve pain",
        ["outcome"] = "pain",
        ["direction"] = "benefit",
        ["claimedStrength"] = "suggested",
    };

    private static JsonObject Quote(string exact, string? prefix = null, string? suffix = null)
    {
        var selector = new JsonObject { ["type"] = "TextQuoteSelector", ["exact"] = exact };
        if (prefix is not null) selector["prefix"] = prefix;
        if (suffix is not null) selector["suffix"] = suffix;
        return selector;
    }

    [Fact]
    public async Task A_quote_typed_with_straight_quotes_and_plain_spaces_anchors_to_the_exact_words()
    {
        var (editor, sourceId, text) = await SourceAsync();
        var response = await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, Quote("CBD may ease \"nerve pain\" - in some adults.")));
        var claim = await response.JsonAsync(HttpStatusCode.Created);
        var exact = "CBD may ease “nerve pain” — in some adults.";
        Assert.Equal(exact, claim.GetProperty("quote").GetString());
        var start = text.IndexOf(exact, StringComparison.Ordinal);
        Assert.Equal(start, claim.GetProperty("position").GetProperty("start").GetInt32());
        Assert.Equal(start + exact.Length, claim.GetProperty("position").GetProperty("end").GetInt32());
        Assert.Equal("Heading one", claim.GetProperty("section").GetString());
        var selectors = claim.GetProperty("selectors");
        Assert.Equal("TextQuoteSelector", selectors[0].GetProperty("type").GetString());
        Assert.Equal(exact, selectors[0].GetProperty("exact").GetString());
        Assert.Equal(start, selectors[1].GetProperty("start").GetInt32());
    }

    [Fact]
    public async Task An_ambiguous_quote_is_422_listing_the_candidates_and_a_prefix_or_position_settles_it()
    {
        var (editor, sourceId, text) = await SourceAsync();
        var problem = await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, Quote("It may help sleep.")))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var candidates = problem.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(2, candidates.Count);
        Assert.All(candidates, c => Assert.Contains("It may help sleep.", c.GetProperty("context").GetString()));

        var second = text.LastIndexOf("It may help sleep.", StringComparison.Ordinal);
        var bySuffix = await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, Quote("It may help sleep.", suffix: " Copy")))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(second, bySuffix.GetProperty("position").GetProperty("start").GetInt32());
        Assert.Equal("Heading two", bySuffix.GetProperty("section").GetString());
        var byPosition = await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, Quote("It may help sleep."),
            new JsonObject { ["type"] = "TextPositionSelector", ["start"] = second, ["end"] = second + 18 }))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(second, byPosition.GetProperty("position").GetProperty("start").GetInt32());
    }

    [Fact]
    public async Task A_quote_that_is_not_there_is_422_and_bad_selectors_are_400()
    {
        var (editor, sourceId, _) = await SourceAsync();
        var problem = await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, Quote("cures everything")))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty(problem.GetProperty("candidates").EnumerateArray());
        await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, new JsonObject { ["type"] = "RangeSelector" }))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, new JsonObject { ["type"] = "TextPositionSelector", ["start"] = 5, ["end"] = 2 })))
            .ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId, new JsonObject { ["type"] = "TextPositionSelector", ["start"] = 5, ["end"] = 999_999 })))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var noAnchor = Body(sourceId);
        noAnchor.Remove("selectors");
        await (await editor.PostAsJsonAsync("/v1/claims", noAnchor)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_position_selector_alone_takes_the_text_there()
    {
        var (editor, sourceId, text) = await SourceAsync();
        var start = text.IndexOf("CBD may ease", StringComparison.Ordinal);
        var claim = await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId,
            new JsonObject { ["type"] = "TextPositionSelector", ["start"] = start, ["end"] = start + 12 }))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("CBD may ease", claim.GetProperty("quote").GetString());
    }

    [Fact]
    public async Task A_position_selector_is_held_to_the_quote_limit_and_to_live_sources()
    {
        var editor = await api.EditorClientAsync();
        var content = string.Concat(Enumerable.Repeat("Cannabis may reduce pain in adults. ", 300)) + Guid.NewGuid();
        var response = await editor.PostAsJsonAsync("/v1/sources", new { title = "Long", format = "text", content });
        var sourceId = (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId,
            new JsonObject { ["type"] = "TextPositionSelector", ["start"] = 0, ["end"] = 6000 }))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var both = Body(sourceId, Quote("Cannabis may reduce pain"));
        both["quote"] = "Cannabis";
        both["position"] = new JsonObject { ["start"] = 0, ["end"] = 8 };
        await (await editor.PostAsJsonAsync("/v1/claims", both)).ProblemAsync(HttpStatusCode.BadRequest);

        var etag = (await api.Client.GetAsync($"/v1/sources/{sourceId}")).Headers.ETag!.Tag;
        (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/sources/{sourceId}/retire", new { reason = "Test" }, etag)).EnsureSuccessStatusCode();
        var problem = await (await editor.PostAsJsonAsync("/v1/claims", Body(sourceId,
            new JsonObject { ["type"] = "TextPositionSelector", ["start"] = 0, ["end"] = 24 }))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("retired", problem.GetProperty("errors").GetProperty("sourceId")[0].GetString());
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/sources/{sourceId}/extract", null)).ProblemAsync(HttpStatusCode.Conflict);
    }
}
