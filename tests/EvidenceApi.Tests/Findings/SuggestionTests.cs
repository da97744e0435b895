using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Findings;

public sealed class SuggestionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<(Guid Id, string ETag)> ClaimAsync(HttpClient editor, string[] conditions, string[] cannabinoids, string outcome,
        string direction, string strength = "asserted")
    {
        var body = await api.NewClaimBodyAsync();
        body["conditions"] = new JsonArray(conditions.Select(c => (JsonNode)c!).ToArray());
        body["cannabinoids"] = new JsonArray(cannabinoids.Select(c => (JsonNode)c!).ToArray());
        body["outcome"] = outcome;
        body["direction"] = direction;
        body["claimedStrength"] = strength;
        var response = await editor.PostAsJsonAsync("/v1/claims", body);
        var claim = await response.JsonAsync(HttpStatusCode.Created);
        return (claim.GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    private async Task<JsonElement[]> SuggestionsAsync(Guid claim) =>
        (await (await api.Client.GetAsync($"/v1/claims/{claim}/suggestions")).JsonAsync()).GetProperty("items").EnumerateArray().ToArray();

    private static string Locator(JsonElement suggestion) => suggestion.GetProperty("finding").GetProperty("locator").GetString()!;

    [Fact]
    public async Task A_chronic_pain_claim_about_cannabis_gets_conclusion_4_1_first()
    {
        var editor = await api.EditorClientAsync();
        var (id, _) = await ClaimAsync(editor, ["chronic-pain"], ["whole-plant-cannabis"], "pain", "benefit", "asserted");
        var suggestions = await SuggestionsAsync(id);
        var first = suggestions[0];
        Assert.Equal("4-1", Locator(first));
        Assert.Equal("supports", first.GetProperty("stance").GetString());
        Assert.Equal("substantial", first.GetProperty("evidenceLevel").GetString());
        Assert.False(first.GetProperty("overclaim").GetBoolean());
        Assert.Contains(first.GetProperty("reasons").EnumerateArray(),
            r => r.GetProperty("field").GetString() == "conditions" && r.GetProperty("match").GetString() == "exact");
        // findings about other outcomes (sleep, psychosis) do not check a claim about pain
        Assert.All(suggestions, s => Assert.Equal("pain", s.GetProperty("finding").GetProperty("outcome").GetString()));
        Assert.Equal(suggestions.Select(s => s.GetProperty("score").GetDouble()).OrderByDescending(s => s), suggestions.Select(s => s.GetProperty("score").GetDouble()));
    }

    [Fact]
    public async Task A_narrower_condition_is_covered_by_a_broader_finding()
    {
        var editor = await api.EditorClientAsync();
        var (id, _) = await ClaimAsync(editor, ["neuropathic-pain"], ["thc"], "pain", "benefit");
        var first = (await SuggestionsAsync(id)).First(s => Locator(s) == "4-1");
        var reasons = first.GetProperty("reasons").EnumerateArray().ToDictionary(r => r.GetProperty("field").GetString()!, r => r.GetProperty("match").GetString());
        Assert.Equal("broader", reasons["conditions"]);
        Assert.Equal("broader", reasons["cannabinoids"]);
    }

    [Fact]
    public async Task Other_claims_get_the_findings_that_answer_them()
    {
        var editor = await api.EditorClientAsync();
        var (nausea, _) = await ClaimAsync(editor, ["chemotherapy-induced-nausea-vomiting"], ["dronabinol"], "nausea-vomiting", "benefit");
        Assert.Equal("4-3", Locator((await SuggestionsAsync(nausea))[0]));

        var (sleep, _) = await ClaimAsync(editor, ["chronic-pain"], ["cannabinoids"], "sleep", "benefit");
        var sleepFirst = (await SuggestionsAsync(sleep))[0];
        Assert.Equal("sleep", sleepFirst.GetProperty("finding").GetProperty("outcome").GetString());

        // a harm claim about side effects finds the psychosis conclusion through the outcome hierarchy; it answers part of
        // the claim, so it is background and grades nothing
        var (harm, _) = await ClaimAsync(editor, ["chronic-pain"], ["whole-plant-cannabis"], "adverse-effects", "harm");
        var psychosis = (await SuggestionsAsync(harm)).First(s => Locator(s) == "12-1");
        Assert.Equal("background", psychosis.GetProperty("stance").GetString());
        Assert.Equal(JsonValueKind.Null, psychosis.GetProperty("evidenceLevel").ValueKind);
        Assert.Equal(JsonValueKind.Null, psychosis.GetProperty("overclaim").ValueKind);
        // a claim about psychosis itself is supported by it
        var (psychotic, _) = await ClaimAsync(editor, ["chronic-pain"], ["whole-plant-cannabis"], "psychosis", "harm");
        var direct = (await SuggestionsAsync(psychotic))[0];
        Assert.Equal(("12-1", "supports", "substantial"),
            (Locator(direct), direct.GetProperty("stance").GetString(), direct.GetProperty("evidenceLevel").GetString()));

        // an asserted benefit the evidence calls insufficient would be an overclaim
        var (noEffect, _) = await ClaimAsync(editor, ["chronic-pain"], ["cbd"], "pain", "no-effect");
        var refuting = (await SuggestionsAsync(noEffect)).First(s => Locator(s) == "4-1");
        Assert.Equal("refutes", refuting.GetProperty("stance").GetString());
        Assert.Equal("insufficient", refuting.GetProperty("evidenceLevel").GetString());
        Assert.True(refuting.GetProperty("overclaim").GetBoolean());

        // a claim that compares with opioids is not answered by findings against placebo
        var body = await api.NewClaimBodyAsync();
        body["comparator"] = "opioids";
        var compared = (await (await editor.PostAsJsonAsync("/v1/claims", body)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.All(await SuggestionsAsync(compared), s => Assert.Equal("background", s.GetProperty("stance").GetString()));

        await (await api.Client.GetAsync($"/v1/claims/{Guid.NewGuid()}/suggestions")).ProblemAsync(HttpStatusCode.NotFound);
        await (await api.Client.GetAsync($"/v1/claims/{nausea}/suggestions?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_citation_made_from_a_finding_fills_its_fields_and_remembers_it()
    {
        var editor = await api.EditorClientAsync();
        var (id, etag) = await ClaimAsync(editor, ["chronic-pain"], ["whole-plant-cannabis"], "pain", "benefit");
        var finding = (await SuggestionsAsync(id))[0].GetProperty("finding");

        // fields that come from the finding may not be given beside it
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { findingId = finding.GetProperty("id").GetGuid(), identifier = "10.1000/other" }, etag)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations", new { findingId = Guid.NewGuid() }, etag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);

        var response = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations", new { findingId = finding.GetProperty("id").GetGuid() }, etag);
        var citation = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("doi", citation.GetProperty("kind").GetString());
        Assert.Equal("10.17226/24625", citation.GetProperty("identifier").GetString());
        Assert.Equal(finding.GetProperty("synthesis").GetProperty("title").GetString(), citation.GetProperty("title").GetString());
        Assert.Equal(2017, citation.GetProperty("year").GetInt32());
        Assert.Equal("supports", citation.GetProperty("stance").GetString());
        Assert.Equal("nasem-2017", citation.GetProperty("grade").GetProperty("scheme").GetString());
        Assert.Equal("substantial", citation.GetProperty("grade").GetProperty("value").GetString());
        Assert.Equal(finding.GetProperty("id").GetGuid(), citation.GetProperty("findingId").GetGuid());
        Assert.StartsWith("4-1: ", citation.GetProperty("note").GetString());

        var claim = await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync();
        Assert.Equal("cited", claim.GetProperty("status").GetString());

        // the same finding twice is 409; another conclusion of the same report is a citation of its own
        var etag2 = response.Headers.GetValues("Claim-ETag").Single();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations", new { findingId = finding.GetProperty("id").GetGuid() }, etag2))
            .ProblemAsync(HttpStatusCode.Conflict);
        var sleep = (await (await api.Client.GetAsync("/v1/findings?doi=https://doi.org/10.17226/24625&outcome=sleep")).JsonAsync())
            .GetProperty("items")[0].GetProperty("id").GetGuid();
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations", new { findingId = sleep }, etag2)).JsonAsync(HttpStatusCode.Created);
        var history = await (await api.Client.GetAsync($"/v1/claims/{id}/history")).JsonAsync();
        Assert.Equal(finding.GetProperty("id").GetGuid(),
            history.GetProperty("items")[1].GetProperty("detail").GetProperty("citation").GetProperty("findingId").GetGuid());
    }
}
