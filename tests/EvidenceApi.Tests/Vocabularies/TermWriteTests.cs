using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Vocabularies;

public sealed class TermWriteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static async Task<(JsonElement Term, string ETag)> CreateAsync(HttpClient admin, string vocabulary, object body)
    {
        var response = await admin.PostAsJsonAsync($"/v1/{vocabulary}", body);
        var term = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/v1/{vocabulary}/{term.GetProperty("slug").GetString()}", response.Headers.Location!.OriginalString);
        return (term, response.Headers.ETag!.Tag);
    }

    private async Task<List<string>> ClaimIdsAsync(string query) =>
        (await (await api.Client.GetAsync($"/v1/claims?limit=200&{query}")).JsonAsync()).GetProperty("items").EnumerateArray()
        .Select(c => c.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task Admins_add_terms_that_claims_and_filters_use_at_once()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var migraine = NewSlug("migraine");
        var (term, etag) = await CreateAsync(admin, "conditions", new
        {
            slug = migraine,
            label = "Migraine",
            definition = "Recurrent headache attacks.",
            synonyms = new[] { $"{migraine} headache" },
            broader = new[] { "chronic-pain" },
        });
        Assert.StartsWith("\"1-", etag);
        Assert.Equal(["chronic-pain"], term.GetProperty("broader").Strings());
        Assert.Contains(migraine, (await (await api.Client.GetAsync("/v1/conditions/chronic-pain")).JsonAsync()).GetProperty("narrower").Strings());

        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body["conditions"] = new JsonArray(migraine);
        var claimId = (await (await editor.PostAsJsonAsync("/v1/claims", body)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        // the hierarchy, the synonym and the kept results see the new term with no wait
        Assert.Contains(claimId, await ClaimIdsAsync("condition=chronic-pain&includeNarrower=true"));
        Assert.Contains(claimId, await ClaimIdsAsync("condition=pain&includeNarrower=true"));
        Assert.Contains(claimId, await ClaimIdsAsync($"q={Uri.EscapeDataString(migraine + " headache")}"));
        var before = (await (await api.Client.GetAsync("/v1/claims/facets?by=condition&condition=pain&includeNarrower=true")).JsonAsync()).GetProperty("total").GetInt32();
        var moved = await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/conditions/{migraine}", new { broader = new[] { "pain" } }, etag);
        Assert.StartsWith("\"2-", moved.Headers.ETag!.Tag);
        Assert.Equal(["pain"], (await moved.JsonAsync()).GetProperty("broader").Strings());
        Assert.DoesNotContain(claimId, await ClaimIdsAsync("condition=chronic-pain&includeNarrower=true"));
        Assert.Equal(before, (await (await api.Client.GetAsync("/v1/claims/facets?by=condition&condition=pain&includeNarrower=true")).JsonAsync()).GetProperty("total").GetInt32());

        var history = await (await api.Client.GetAsync($"/v1/conditions/{migraine}/history")).JsonAsync();
        Assert.Equal(["created", "updated"], history.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("change").GetString()));
        Assert.Equal(["chronic-pain"], history.GetProperty("items")[0].GetProperty("term").GetProperty("broader").Strings());
        Assert.StartsWith("admin-", history.GetProperty("items")[1].GetProperty("editor").GetString());
    }

    [Fact]
    public async Task A_broader_term_that_would_make_a_cycle_is_422_naming_it()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var (top, middle, bottom) = (NewSlug("top"), NewSlug("middle"), NewSlug("bottom"));
        await CreateAsync(admin, "interventions", new { slug = top, label = top });
        await CreateAsync(admin, "interventions", new { slug = middle, label = middle, broader = new[] { top } });
        await CreateAsync(admin, "interventions", new { slug = bottom, label = bottom, broader = new[] { middle, "thc" } });
        var topEtag = (await api.Client.GetAsync($"/v1/interventions/{top}")).Headers.ETag!.Tag;

        var problem = await (await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/interventions/{top}", new { broader = new[] { bottom } }, topEtag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"This would make a cycle: {top} → {bottom} → {middle} → {top}.", problem.GetProperty("errors").GetProperty("broader")[0].GetString());
        await (await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/interventions/{top}", new { broader = new[] { top } }, topEtag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/interventions/{top}", new { broader = new[] { "no-such-term" } }, topEtag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        // nothing changed
        Assert.Empty((await (await api.Client.GetAsync($"/v1/interventions/{top}")).JsonAsync()).GetProperty("broader").EnumerateArray());
    }

    [Fact]
    public async Task Synonyms_are_unique_within_a_vocabulary()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var problem = await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("nerves"), label = "Nerves", synonyms = new[] { "Nerve  Pain" } }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("neuropathic-pain", problem.GetProperty("errors").GetProperty("synonyms")[0].GetString());
        // another vocabulary may use the same words
        await CreateAsync(admin, "outcomes", new { slug = NewSlug("nerve-outcome"), label = "Nerve outcome", synonyms = new[] { "nerve pain" } });
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = "neuropathic-pain", label = "Again" })).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_label_may_not_take_a_name_another_term_has_but_a_term_keeps_its_own()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("clash"), label = "Nerve pain" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("clash"), label = "FIBROMYALGIA!" })).ProblemAsync(HttpStatusCode.Conflict);
        // one term's own names: a synonym twice (by case or punctuation) or a coding twice is refused
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("twice"), label = "Twice", synonyms = new[] { "abc pain", "ABC-pain" } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("blank"), label = "\u200b" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("wide"), label = "Wide", synonyms = new[] { "ｎｅｒｖｅ ｐａｉｎ" } }))
            .ProblemAsync(HttpStatusCode.Conflict);
        // an edit that does not touch a term's names is not blocked by them
        var response = await api.Client.GetAsync("/v1/conditions/osteoarthritis");
        var edited = await admin.SendJsonAsync(HttpMethod.Patch, "/v1/conditions/osteoarthritis", new { definition = "Degenerative joint disease." }, response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
    }

    [Fact]
    public async Task A_new_narrower_term_changes_the_etag_of_its_broader_term()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var parent = NewSlug("parent");
        var (_, etag) = await CreateAsync(admin, "outcomes", new { slug = parent, label = parent });
        await CreateAsync(admin, "outcomes", new { slug = NewSlug("child"), label = "Child of " + parent, broader = new[] { parent } });
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/outcomes/{parent}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var again = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(etag, again.Headers.ETag!.Tag);
        // the old ETag no longer allows a change either
        await (await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/outcomes/{parent}", new { label = "Renamed" }, etag)).ProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Codings_are_validated_for_their_system()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var bad = new[]
        {
            new { system = "http://snomed.info/sct", code = "203082006", display = "wrong check digit" },
            new { system = "http://id.nlm.nih.gov/mesh", code = "X005356", display = "not a descriptor" },
            new { system = "http://www.whocc.no/atc", code = "A04AD1", display = "not an ATC level" },
            new { system = "http://example.org/codes", code = "1", display = "unknown system" },
        };
        foreach (var coding in bad)
        {
            var problem = await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("coded"), label = "Coded", codings = new[] { coding } }))
                .ProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.True(problem.GetProperty("errors").TryGetProperty("codings[0]", out _), problem.GetRawText());
        }
        var slug = NewSlug("coded");
        var (term, _) = await CreateAsync(admin, "conditions", new
        {
            slug,
            label = "Coded",
            codings = new[] { new { system = "http://snomed.info/sct", code = "396275006", display = "Osteoarthritis" } },
        });
        Assert.Equal("396275006", term.GetProperty("codings")[0].GetProperty("code").GetString());
        Assert.Equal(404, (int)(await api.Client.GetAsync($"/v1/conditions/{NewSlug("never")}")).StatusCode);
    }

    [Fact]
    public async Task A_retired_term_stays_on_its_claims_but_new_claims_and_edits_cannot_use_it()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var editor = await api.EditorClientAsync();
        var slug = NewSlug("retiring");
        var (_, etag) = await CreateAsync(admin, "comparators", new { slug, label = "Soon retired" });
        var body = await api.NewClaimBodyAsync();
        body["comparator"] = slug;
        var created = await editor.PostAsJsonAsync("/v1/claims", body);
        var claim = await created.JsonAsync(HttpStatusCode.Created);

        await (await admin.SendJsonAsync(HttpMethod.Post, $"/v1/comparators/{slug}/retire", new { reason = "Merged" })).ProblemAsync(HttpStatusCode.PreconditionRequired);
        var retired = await (await admin.SendJsonAsync(HttpMethod.Post, $"/v1/comparators/{slug}/retire", new { reason = "Merged" }, etag)).JsonAsync();
        Assert.True(retired.GetProperty("retired").GetBoolean());
        Assert.Equal("Merged", retired.GetProperty("retiredReason").GetString());

        // readable, still on the claim, hidden from the list unless asked for, still a filter
        Assert.True((await (await api.Client.GetAsync($"/v1/comparators/{slug}")).JsonAsync()).GetProperty("retired").GetBoolean());
        var id = claim.GetProperty("id").GetString()!;
        Assert.Equal(slug, (await (await api.Client.GetAsync($"/v1/claims/{id}")).JsonAsync()).GetProperty("comparator").GetString());
        Assert.DoesNotContain(slug, (await (await api.Client.GetAsync("/v1/comparators")).JsonAsync()).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
        Assert.Contains(slug, (await (await api.Client.GetAsync("/v1/comparators?includeRetired=true")).JsonAsync()).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
        Assert.Equal([id], await ClaimIdsAsync($"comparator={slug}"));

        var problem = await (await editor.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(slug, problem.GetProperty("errors").GetProperty("comparator")[0].GetString());
        // an edit of the claim may keep it, but another claim may not take it on
        var claimEtag = created.Headers.ETag!.Tag;
        var kept = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{id}", new { effect = "relieves pain" }, claimEtag, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        var (other, otherEtag) = await api.CreateClaimAsync(editor);
        await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{other.GetProperty("id").GetString()}", new { comparator = slug }, otherEtag, "application/merge-patch+json"))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        // a retired term is kept as it was
        var retiredEtag = (await api.Client.GetAsync($"/v1/comparators/{slug}")).Headers.ETag!.Tag;
        await (await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/comparators/{slug}", new { label = "Changed" }, retiredEtag))
            .ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_null_term_in_a_claim_or_in_broader_terms_is_400()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var body = await api.NewClaimBodyAsync();
        body["conditions"] = new JsonArray("chronic-pain", null);
        await (await admin.PostAsJsonAsync("/v1/claims", body)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostAsJsonAsync("/v1/conditions", new { slug = NewSlug("nulls"), label = "Nulls", broader = new string?[] { null } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_cycle_check_walks_a_deep_hierarchy_once()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var chain = Enumerable.Range(0, 3000).Select(i => $"deep-{Guid.NewGuid().ToString("N")[..6]}-{i}").ToArray();
        await using (var db = api.DataSource())
        await using (var connection = await db.OpenConnectionAsync())
        {
            // a chain each of whose terms is narrower than the one before
            await using var insert = new Npgsql.NpgsqlCommand(
                "insert into populations (slug, label, definition, broader) select s, s, '', case when i = 1 then '{}' else array[@chain[i - 1]] end " +
                "from unnest(@chain) with ordinality as c (s, i)", connection);
            insert.Parameters.AddWithValue("chain", chain);
            await insert.ExecuteNonQueryAsync();
        }
        var top = await api.Client.GetAsync($"/v1/populations/{chain[0]}");
        var started = DateTime.UtcNow;
        var problem = await (await admin.SendJsonAsync(HttpMethod.Patch, $"/v1/populations/{chain[0]}", new { broader = new[] { chain[^1] } }, top.Headers.ETag!.Tag))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"{chain[0]} → {chain[^1]} → {chain[^2]}", problem.GetProperty("errors").GetProperty("broader")[0].GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Concurrent_edits_of_one_term_let_one_win_and_the_other_get_412()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var slug = NewSlug("contested");
        var (_, etag) = await CreateAsync(admin, "populations", new { slug, label = "Contested" });
        var edits = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
            admin.SendJsonAsync(HttpMethod.Patch, $"/v1/populations/{slug}", new { label = $"Label {i}" }, etag)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], edits.Select(e => e.StatusCode).Order());
        var term = await (await api.Client.GetAsync($"/v1/populations/{slug}")).JsonAsync();
        Assert.Equal(2, term.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Only_admins_change_terms_and_idempotent_retries_replay()
    {
        var editor = await api.EditorClientAsync();
        await (await editor.PostAsJsonAsync("/v1/outcomes", new { slug = NewSlug("x"), label = "X" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await api.Client.PostAsJsonAsync("/v1/outcomes", new { slug = NewSlug("x"), label = "X" })).ProblemAsync(HttpStatusCode.Unauthorized);
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        await (await admin.PostAsJsonAsync("/v1/outcomes", new { slug = "Not A Slug", label = "X" })).ProblemAsync(HttpStatusCode.BadRequest);

        var body = new { slug = NewSlug("replayed"), label = "Replayed" };
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var first = await admin.SendJsonAsync(HttpMethod.Post, "/v1/outcomes", body, null, "application/json", key);
        var again = await admin.SendJsonAsync(HttpMethod.Post, "/v1/outcomes", body, null, "application/json", key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
    }
}

/// <summary>A pool of two connections: a burst of reads right after a change to a term must not starve it.</summary>
public sealed class SmallPoolFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Evidence"] = ConnectionString + ";Maximum Pool Size=2",
    };
}

public sealed class TermReloadTests(SmallPoolFixture api) : IClassFixture<SmallPoolFixture>
{
    [Fact]
    public async Task Reads_that_reload_the_terms_share_one_load_and_never_wait_for_a_second_connection()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        for (var round = 0; round < 3; round++)
        {
            var current = await api.Client.GetAsync("/v1/outcomes/sleep");
            (await admin.SendJsonAsync(HttpMethod.Patch, "/v1/outcomes/sleep", new { definition = $"Sleep quality or disturbance ({round})." },
                current.Headers.ETag!.Tag)).EnsureSuccessStatusCode();
            var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => api.Client.GetAsync(
                i % 2 == 0 ? "/v1/claims?q=nerve%20pain&limit=5" : "/v1/claims?cannabinoid=thc&includeNarrower=true&limit=5")));
            Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }
    }
}
