using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvidenceApi.Candidates;
using EvidenceApi.Tests.Infrastructure;
using EvidenceApi.Vocabularies;
using Microsoft.Extensions.DependencyInjection;

namespace EvidenceApi.Tests.Sources;

public sealed class CandidateTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<(string SourceUrl, List<JsonElement> Candidates)> AddFixtureAsync(HttpClient editor)
    {
        var content = SourceIntakeTests.Fixture("sleep-and-pain.html").Replace("</article>", $"<p>Copy {Guid.NewGuid()}.</p></article>");
        var response = await editor.PostAsJsonAsync("/v1/sources", new { title = "Sleep and pain", format = "html", content });
        await response.JsonAsync(HttpStatusCode.Created);
        var url = response.Headers.Location!.OriginalString;
        var candidates = await (await api.Client.GetAsync($"{url}/candidates")).JsonAsync();
        return (url, candidates.GetProperty("items").EnumerateArray().ToList());
    }

    [Fact]
    public async Task Candidates_carry_their_exact_words_structure_and_reasons()
    {
        var editor = await api.EditorClientAsync();
        var (url, candidates) = await AddFixtureAsync(editor);
        var text = (await (await api.Client.GetAsync(url)).JsonAsync()).GetProperty("text").GetString()!;
        foreach (var candidate in candidates)
        {
            var (start, end) = (candidate.GetProperty("position").GetProperty("start").GetInt32(), candidate.GetProperty("position").GetProperty("end").GetInt32());
            Assert.Equal(text[start..end], candidate.GetProperty("quote").GetString()); // the fixture is all in the BMP
            Assert.Equal("open", candidate.GetProperty("state").GetString());
            Assert.InRange(candidate.GetProperty("score").GetDouble(), 0, 1);
        }
        JsonElement Find(string words, string outcome) => candidates.Single(c =>
            c.GetProperty("quote").GetString()!.Contains(words) && c.GetProperty("outcome").GetString() == outcome);

        var sleep = Find("Several small studies suggest that CBD may improve sleep quality", "sleep");
        Assert.Equal("suggested", sleep.GetProperty("claimedStrength").GetString());
        Assert.Equal("benefit", sleep.GetProperty("direction").GetString());
        Assert.Equal(["cbd"], sleep.GetProperty("cannabinoids").Strings());
        Assert.Equal(["chronic-pain"], sleep.GetProperty("conditions").Strings());
        Assert.Equal("What the studies say", sleep.GetProperty("section").GetString());
        Assert.Equal(["CBD"], sleep.GetProperty("evidence").GetProperty("cannabinoids").Strings());

        var thc = Find("Research has shown that THC can reduce pain intensity", "pain");
        Assert.Equal("asserted", thc.GetProperty("claimedStrength").GetString());
        Assert.Equal(["neuropathic-pain"], thc.GetProperty("conditions").Strings());

        var harm = Find("Smoking cannabis can cause dizziness", "adverse-effects");
        Assert.Equal("harm", harm.GetProperty("direction").GetString());
        Assert.Equal(["inhaled"], harm.GetProperty("routes").Strings());

        var topical = candidates.First(c => c.GetProperty("quote").GetString()!.StartsWith("Topical CBD creams"));
        Assert.Equal("speculative", topical.GetProperty("claimedStrength").GetString());
        Assert.Contains("topical", topical.GetProperty("routes").Strings());

        var noEffect = candidates.Single(c => c.GetProperty("quote").GetString()!.Contains("no significant difference from placebo"));
        Assert.Equal("no-effect", noEffect.GetProperty("direction").GetString());
        Assert.Equal("placebo", noEffect.GetProperty("comparator").GetString());

        // not claims: a byline, the law, buying advice, the comment box
        Assert.DoesNotContain(candidates, c => c.GetProperty("quote").GetString()!.Contains("Talk to your doctor"));
        Assert.DoesNotContain(candidates, c => c.GetProperty("quote").GetString()!.Contains("Dana Writer"));
        Assert.DoesNotContain(candidates, c => c.GetProperty("quote").GetString()!.Contains("overnight"));
    }

    [Fact]
    public async Task Accepting_makes_a_claim_whose_first_revision_names_the_candidate()
    {
        var editor = await api.EditorClientAsync();
        var (_, candidates) = await AddFixtureAsync(editor);
        var candidate = candidates.First(c => c.GetProperty("outcome").GetString() == "pain");
        var id = candidate.GetProperty("id").GetString();
        var read = await api.Client.GetAsync($"/v1/candidates/{id}");
        var etag = read.Headers.ETag!.Tag;

        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/accept", new { })).ProblemAsync(HttpStatusCode.PreconditionRequired);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var body = new { conditions = new[] { "neuropathic-pain" }, effect = "reduces nerve pain" };
        var accepted = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/accept", body, etag, "application/json", key);
        var claim = await accepted.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(candidate.GetProperty("quote").GetString(), claim.GetProperty("quote").GetString());
        Assert.Equal(["neuropathic-pain"], claim.GetProperty("conditions").Strings());
        Assert.Equal("reduces nerve pain", claim.GetProperty("effect").GetString());
        // a retry with the same key replays; a second accept without one is 409 (412 with the old ETag)
        var replay = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/accept", body, etag, "application/json", key);
        Assert.Equal(claim.GetProperty("id").GetString(), (await replay.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString());
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/accept", body, etag)).ProblemAsync(HttpStatusCode.PreconditionFailed);
        var now = (await api.Client.GetAsync($"/v1/candidates/{id}")).Headers.ETag!.Tag;
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/accept", body, now)).ProblemAsync(HttpStatusCode.Conflict);

        var history = await (await api.Client.GetAsync($"/v1/claims/{claim.GetProperty("id").GetString()}/history")).JsonAsync();
        Assert.Equal(id, history.GetProperty("items")[0].GetProperty("detail").GetProperty("candidate").GetString());
        var after = await (await api.Client.GetAsync($"/v1/candidates/{id}")).JsonAsync();
        Assert.Equal("accepted", after.GetProperty("state").GetString());
        Assert.Equal(claim.GetProperty("id").GetString(), after.GetProperty("claimId").GetString());
    }

    [Fact]
    public async Task Concurrent_accepts_make_one_claim()
    {
        var editor = await api.EditorClientAsync();
        var (_, candidates) = await AddFixtureAsync(editor);
        var id = candidates[0].GetProperty("id").GetString();
        var etag = (await api.Client.GetAsync($"/v1/candidates/{id}")).Headers.ETag!.Tag;
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/accept", null, etag)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.PreconditionFailed, a.StatusCode));
    }

    [Fact]
    public async Task Dismissed_candidates_stay_dismissed_and_a_rerun_adds_nothing()
    {
        var editor = await api.EditorClientAsync();
        var (url, candidates) = await AddFixtureAsync(editor);
        var id = candidates[^1].GetProperty("id").GetString();
        var etag = (await api.Client.GetAsync($"/v1/candidates/{id}")).Headers.ETag!.Tag;
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/dismiss", new { reason = "maybe" }, etag)).ProblemAsync(HttpStatusCode.BadRequest);
        var dismissed = await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/candidates/{id}/dismiss", new { reason = "not-a-claim", note = "Advice" }, etag)).JsonAsync();
        Assert.Equal("dismissed", dismissed.GetProperty("state").GetString());
        Assert.Equal("not-a-claim", dismissed.GetProperty("dismissal").GetString());

        var open = await (await api.Client.GetAsync($"{url}/candidates?state=open")).JsonAsync();
        Assert.Equal(candidates.Count - 1, open.GetProperty("items").GetArrayLength());
        var rerun = await (await editor.SendJsonAsync(HttpMethod.Post, $"{url}/extract", null)).JsonAsync();
        Assert.Equal(candidates.Count, rerun.GetProperty("proposed").GetInt32());
        Assert.Equal(0, rerun.GetProperty("added").GetInt32());
        Assert.Equal(candidates.Count, (await (await api.Client.GetAsync($"{url}/candidates")).JsonAsync()).GetProperty("items").GetArrayLength());
        await (await api.Client.GetAsync($"{url}/candidates?state=closed")).ProblemAsync(HttpStatusCode.BadRequest);
        // a cursor of one source's list (or state) means nothing to another's
        var page = await (await api.Client.GetAsync($"{url}/candidates?limit=1")).JsonAsync();
        var cursor = page.GetProperty("nextCursor").GetString();
        var (other, _) = await AddFixtureAsync(editor);
        await (await api.Client.GetAsync($"{other}/candidates?limit=1&cursor={cursor}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync($"{url}/candidates?limit=1&state=open&cursor={cursor}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_new_synonym_and_a_rerun_propose_what_was_missed()
    {
        var admin = await api.EditorClientAsync(EvidenceApi.Editors.EditorRole.Admin);
        var word = $"zq{Guid.NewGuid().ToString("N")[..6]}";
        var content = $"Sleep study\n\n{word} may improve sleep in adults with chronic pain.\n\nCopy {Guid.NewGuid()}.";
        var response = await admin.PostAsJsonAsync("/v1/sources", new { title = "A brand", format = "text", content });
        var url = response.Headers.Location!.OriginalString;
        Assert.Equal(0, (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("candidateCount").GetInt32());

        var cbd = await api.Client.GetAsync("/v1/interventions/cbd");
        var synonyms = (await cbd.JsonAsync()).GetProperty("synonyms").Strings().Append(word).ToArray();
        (await admin.SendJsonAsync(HttpMethod.Patch, "/v1/interventions/cbd", new { synonyms }, cbd.Headers.ETag!.Tag)).EnsureSuccessStatusCode();
        var rerun = await (await admin.SendJsonAsync(HttpMethod.Post, $"{url}/extract", null)).JsonAsync();
        Assert.Equal(1, rerun.GetProperty("added").GetInt32());
        var candidate = (await (await api.Client.GetAsync($"{url}/candidates")).JsonAsync()).GetProperty("items")[0];
        Assert.Equal(["cbd"], candidate.GetProperty("cannabinoids").Strings());
        Assert.Equal("adults", candidate.GetProperty("population").GetString());
    }

    [Theory]
    [InlineData("High doses of CBD can cause diarrhoea and tiredness.", "adverse-effects", "harm")]
    [InlineData("Vaping cannabis products has been linked to lung injury.", "adverse-effects", "harm")]
    [InlineData("Teenagers who use high-potency THC products are more likely to develop cannabis use disorder.", "dependence", "harm")]
    [InlineData("Inhaled cannabis may cut the severity of a migraine attack.", null, "benefit")]
    [InlineData("Nabilone can reduce nausea and vomiting caused by chemotherapy.", "nausea-vomiting", "benefit")]
    public async Task General_ways_of_saying_help_and_harm_are_candidates(string sentence, string? outcome, string direction)
    {
        var editor = await api.EditorClientAsync();
        var response = await editor.PostAsJsonAsync("/v1/sources", new { title = "One sentence", format = "text", content = $"{sentence}\n\nCopy {Guid.NewGuid()}." });
        var url = (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var candidates = (await (await api.Client.GetAsync($"/v1/sources/{url}/candidates")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Single(candidates.GroupBy(c => c.GetProperty("position").GetProperty("start").GetInt32()));
        var candidate = outcome is null ? candidates[0] : Assert.Single(candidates, c => c.GetProperty("outcome").GetString() == outcome);
        Assert.Equal(sentence, candidate.GetProperty("quote").GetString());
        Assert.Equal(direction, candidate.GetProperty("direction").GetString());
    }

    [Fact]
    public async Task Extraction_on_the_seed_article_meets_its_targets()
    {
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        var vocabularies = await api.Factory.Services.GetRequiredService<VocabularyCache>().GetAsync(connection, default);
        var evaluation = ExtractionEvaluation.Run(Path.Combine(AppContext.BaseDirectory, "db", "seed"), vocabularies);
        Assert.True(evaluation.MeetsTargets, evaluation.Table());
        // deterministic: the same text gives the same candidates
        Assert.Equal(evaluation, ExtractionEvaluation.Run(Path.Combine(AppContext.BaseDirectory, "db", "seed"), vocabularies) with
        {
            Disagreements = evaluation.Disagreements,
        });
    }
}
