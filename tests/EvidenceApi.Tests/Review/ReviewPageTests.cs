using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Review;

/// <summary>The review page in a real headless Chromium (Debian's; scripts/test.sh installs it) against the API as a real process.</summary>
public sealed class ReviewPageTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private ApiProcess _server = null!;
    private HeadlessChromium _browser = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _key = (await api.CreateEditorAsync()).Key!;
        _server = await ApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Evidence"] = api.ConnectionString,
            ["RateLimiting__Enabled"] = "false",
        });
        _browser = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _server.Dispose();
    }

    private string Url(string path) => $"http://127.0.0.1:{_server.Port}{path}";

    private static string Mark(Guid claim) => $"#text mark[data-claims=\"{claim}\"]";

    /// <summary>A seeded claim about cannabis for chronic pain that has a highlight of its own (not overlapped by another).</summary>
    private async Task<Guid> ChronicPainClaimAsync()
    {
        var page = await (await api.Client.GetAsync("/v1/claims?condition=chronic-pain&cannabinoid=whole-plant-cannabis&outcome=pain&direction=benefit&limit=50"))
            .JsonAsync();
        var ids = page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        foreach (var id in ids)
            if (await _browser.EvaluateAsync<bool>($"!!document.querySelector({HeadlessChromium.Js(Mark(id))})")) return id;
        throw new InvalidOperationException("No chronic-pain claim has a highlight of its own.");
    }

    private async Task OpenAsync()
    {
        await _browser.NavigateAsync(Url("/review"));
        await _browser.WaitForAsync("document.querySelectorAll('#text mark').length > 0");
    }

    [Fact]
    public async Task The_page_highlights_every_claim_and_an_editor_cites_a_suggestion_and_survives_a_412()
    {
        await OpenAsync();
        var highlighted = await _browser.EvaluateAsync<string[]>(
            "[...new Set([...document.querySelectorAll('#text mark')].flatMap(m => m.dataset.claims.split(' ')))]");
        Assert.Equal(91, highlighted!.Length);
        var statuses = await _browser.EvaluateAsync<string[]>("[...new Set([...document.querySelectorAll('#text mark')].map(m => m.dataset.status))]");
        Assert.Equal(["needs-citation"], statuses!);

        var id = await ChronicPainClaimAsync();
        var claim = await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync();
        Assert.Equal(claim.GetProperty("quote").GetString(), await _browser.TextAsync(Mark(id)));

        // every request slowed, as on a distant server: the panel's lists load while the editor works
        await _browser.SlowNetworkAsync(TimeSpan.FromMilliseconds(150));

        // an editor's key, a click on the highlight, and the first suggestion is cited
        await _browser.TypeAsync("#key", _key);
        await _browser.ClickAsync(Mark(id));
        await _browser.WaitForAsync("document.querySelector('#suggestions button.cite:not([disabled])')");
        Assert.Contains("4-1", await _browser.TextAsync("#suggestions li"));
        await _browser.WaitForAsync("JSON.parse(document.getElementById('claim-review').textContent)['@type'] === 'ClaimReview'");
        Assert.Equal(claim.GetProperty("quote").GetString(),
            await _browser.EvaluateAsync<string>("JSON.parse(document.getElementById('claim-review').textContent).claimReviewed"));
        await _browser.ClickAsync("#suggestions button.cite");
        await _browser.WaitForAsync("document.getElementById('status').textContent === 'Cited.'");
        Assert.Equal("cited", await _browser.EvaluateAsync<string>($"document.querySelector({HeadlessChromium.Js(Mark(id))}).dataset.status"));
        var cited = await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync();
        Assert.Equal("cited", cited.GetProperty("status").GetString());
        Assert.Equal("10.17226/24625", cited.GetProperty("citations")[0].GetProperty("identifier").GetString());

        // someone else grades the claim while the page shows it: the page's grade is refused, re-read and explained
        var other = await api.EditorClientAsync();
        var current = await api.Client.GetAsync($"/v1/claims/{id}");
        await (await other.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { evidenceLevel = "substantial" }, current.Headers.ETag!.Tag))
            .JsonAsync();
        await _browser.EvaluateAsync("document.getElementById('grade').value = 'moderate'");
        await _browser.ClickAsync("#grade-form button");
        await _browser.WaitForAsync("!document.getElementById('changed').hidden && !document.getElementById('claim').hasAttribute('aria-busy')");
        Assert.Contains("evidenceLevel: unassessed → substantial", await _browser.TextAsync("#changed"));
        Assert.Contains("changed since you read it", await _browser.TextAsync("#status"));
        Assert.Equal("substantial", (await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync()).GetProperty("evidenceLevel").GetString());

        // the editor's choice is kept through the re-read; having seen the change, they grade again, against the claim as it is
        Assert.Equal("moderate", await _browser.EvaluateAsync<string>("document.getElementById('grade').value"));
        await _browser.ClickAsync("#grade-form button");
        await _browser.WaitForAsync("document.getElementById('status').textContent === 'Graded.'");
        Assert.Equal("moderate", (await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync()).GetProperty("evidenceLevel").GetString());
        Assert.Empty(_browser.PageErrors);
    }

    [Fact]
    public async Task The_page_works_from_the_keyboard_and_labels_every_control()
    {
        await OpenAsync();
        Assert.True(await _browser.EvaluateAsync<bool>(
            "[...document.querySelectorAll('input, select')].every(e => e.labels.length > 0 && e.labels[0].textContent.trim() !== '')"));
        Assert.True(await _browser.EvaluateAsync<bool>(
            "[...document.querySelectorAll('#text mark')].every(m => m.tabIndex === 0 && m.getAttribute('role') === 'button' && /^Claim, /.test(m.getAttribute('aria-label')))"));
        // without a key the editing buttons are off and say why
        Assert.True(await _browser.EvaluateAsync<bool>("[...document.querySelectorAll('.needs-key')].every(b => b.disabled)"));

        var id = await ChronicPainClaimAsync();
        await _browser.EvaluateAsync($"document.querySelector({HeadlessChromium.Js(Mark(id))}).focus()");
        foreach (var type in new[] { "keyDown", "keyUp" })
            await _browser.SendAsync("Input.dispatchKeyEvent", new() { ["type"] = type, ["key"] = "Enter", ["code"] = "Enter", ["windowsVirtualKeyCode"] = 13 });
        await _browser.WaitForAsync("!document.getElementById('claim').hidden && document.activeElement?.id === 'panel-title'");
        var quote = (await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync()).GetProperty("quote").GetString();
        Assert.Equal($"“{quote}”", await _browser.TextAsync("#panel-title"));
        Assert.Contains($"claim={id}", await _browser.EvaluateAsync<string>("location.search"));
        Assert.True(await _browser.EvaluateAsync<bool>("!document.getElementById('needs-key').hidden"));
        Assert.Empty(_browser.PageErrors);
    }

    [Fact]
    public async Task A_link_to_one_claim_opens_the_page_with_that_claim_selected()
    {
        var claim = (await (await api.Client.GetAsync("/v1/claims?limit=1&sort=position")).JsonAsync()).GetProperty("items")[0];
        var (id, source) = (claim.GetProperty("id").GetGuid(), claim.GetProperty("source").GetProperty("id").GetGuid());
        await _browser.NavigateAsync(Url($"/review?source={source}&claim={id}"));
        await _browser.WaitForAsync("!document.getElementById('claim').hidden");
        Assert.Equal($"“{claim.GetProperty("quote").GetString()}”", await _browser.TextAsync("#panel-title"));
        Assert.Contains("selected", await _browser.EvaluateAsync<string>($"document.querySelector({HeadlessChromium.Js(Mark(id))})?.className ?? document.querySelector('#text mark.selected').className"));
        Assert.Empty(_browser.PageErrors);
    }

    [Fact]
    public async Task The_page_is_served_with_a_policy_that_runs_only_its_own_scripts()
    {
        var response = await _server.Client.GetAsync("/review");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        var script = await _server.Client.GetAsync("/review/review.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/review/review.js");
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(script.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.NotModified, (await _server.Client.SendAsync(again)).StatusCode);
    }
}
