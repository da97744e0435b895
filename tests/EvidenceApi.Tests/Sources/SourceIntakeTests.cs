using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Sources;

public sealed class SourceIntakeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sources", "Fixtures", name));

    // every test adds text of its own: the same text twice is a 409
    private static string Unique(string content, string format) => format switch
    {
        "html" => content.Replace("</article>", $"<p>Copy {Guid.NewGuid()}.</p></article>"),
        _ => content + $"\n\nCopy {Guid.NewGuid()}.\n",
    };

    private async Task<(HttpResponseMessage Response, JsonElement Body)> AddAsync(HttpClient editor, string format, string content, string title = "Sleep and pain")
    {
        var response = await editor.PostAsJsonAsync("/v1/sources", new { title, format, content, kind = "blog", publisher = "Example Wellness" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response, body);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("html", "sleep-and-pain.html")]
    [InlineData("markdown", "sleep-and-pain.md")]
    [InlineData("text", "sleep-and-pain.txt")]
    public async Task An_article_is_stored_as_its_main_text_with_its_sections(string format, string file)
    {
        var editor = await api.EditorClientAsync();
        var (response, added) = await AddAsync(editor, format, Unique(Fixture(file), format));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(added.GetProperty("candidateCount").GetInt32() >= 3, added.GetRawText());

        var source = await (await api.Client.GetAsync(response.Headers.Location)).JsonAsync();
        var text = source.GetProperty("text").GetString()!;
        Assert.Equal(format, source.GetProperty("format").GetString());
        Assert.Contains("Several small studies suggest that CBD may improve sleep quality", text);
        foreach (var noise in new[] { "dataLayer", "font-family", "Shop CBD oils", "cookies", "check the numbers", "miracle uses", "overnight", "Privacy", "console.log", "<", "*osteoarthritis*" })
            Assert.DoesNotContain(noise, text);
        Assert.DoesNotContain('\r', text);
        var headings = source.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("heading").GetString()).ToList();
        Assert.Equal(["Can CBD help you sleep through joint pain?", "What the studies say", "Risks worth knowing", "The bottom line"], headings);
        // sections tile the text and start at their headings
        var sections = source.GetProperty("sections").EnumerateArray().ToList();
        Assert.Equal(0, sections[0].GetProperty("start").GetInt32());
        Assert.Equal(text.Length, sections[^1].GetProperty("end").GetInt32());
        foreach (var section in sections)
            Assert.StartsWith(section.GetProperty("heading").GetString()!, text[section.GetProperty("start").GetInt32()..]);
    }

    [Theory]
    [InlineData("class=\"comments\"")]
    [InlineData("id=\"comments\"")]
    [InlineData("class=\"user-comments\"")]
    [InlineData("class=\"cookies-notice\"")]
    [InlineData("class=\"share-buttons\"")]
    public async Task Boxes_around_an_article_are_left_out_even_inside_it(string box)
    {
        var editor = await api.EditorClientAsync();
        var html = $"<article><h1>Title</h1><p>CBD may ease pain. {Guid.NewGuid()}</p><section {box}><h2>Noise</h2><p>Cannabis cured my arthritis!</p></section></article>";
        var (response, _) = await AddAsync(editor, "html", html);
        var text = (await (await api.Client.GetAsync(response.Headers.Location)).JsonAsync()).GetProperty("text").GetString()!;
        Assert.Contains("CBD may ease pain", text);
        Assert.DoesNotContain("cured", text);
        Assert.DoesNotContain("Noise", text);
    }

    [Fact]
    public async Task The_server_process_stores_text_in_nfc_so_the_same_words_decomposed_are_the_same_source()
    {
        // the API's own process (its runtime settings, not the test host's) is what must normalise
        var editor = await api.CreateEditorAsync();
        using var server = await ApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Evidence"] = api.ConnectionString,
            ["RateLimiting__Enabled"] = "false",
        });
        server.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", editor.Key);
        var words = $"Cafe\u0301 owners say cannabis helps sleep. {Guid.NewGuid()}";
        var first = await server.Client.PostAsJsonAsync("/v1/sources", new { title = "NFD", format = "text", content = words });
        var text = (await (await server.Client.GetAsync(first.Headers.Location)).JsonAsync()).GetProperty("text").GetString()!;
        Assert.StartsWith("Caf\u00e9 owners", text);
        var again = await server.Client.PostAsJsonAsync("/v1/sources", new { title = "NFC", format = "text", content = words.Normalize() });
        await again.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_same_text_again_is_409_with_the_existing_source_and_stores_nothing()
    {
        var editor = await api.EditorClientAsync();
        var content = Unique(Fixture("sleep-and-pain.txt"), "text");
        var (first, _) = await AddAsync(editor, "text", content);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var (sources, candidates) = (await CountAsync("sources"), await CountAsync("candidates"));

        // the same text after normalisation: Windows line endings and a decomposed accent change nothing
        var (again, problem) = await AddAsync(editor, "text", content.Replace("\n", "\r\n"), "Another title");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal((sources, candidates), (await CountAsync("sources"), await CountAsync("candidates")));
    }

    [Fact]
    public async Task Hostile_content_answers_4xx_and_stores_nothing()
    {
        var editor = await api.EditorClientAsync();
        var (sources, candidates) = (await CountAsync("sources"), await CountAsync("candidates"));
        var cases = new (string Format, string Content, HttpStatusCode Expected)[]
        {
            ("text", "", HttpStatusCode.BadRequest),
            ("text", "   \n\n  ", HttpStatusCode.BadRequest),
            ("text", "cannabis\u0000reduces pain", HttpStatusCode.BadRequest),
            ("text", "\u0001\u0002\u0003binary", HttpStatusCode.BadRequest),
            ("html", "<script>alert(1)</script><style>p{}</style><nav>Home</nav>", HttpStatusCode.BadRequest),
            ("text", new string('x', 2_000_001), HttpStatusCode.RequestEntityTooLarge),
            ("pdf", "some text", HttpStatusCode.BadRequest),
            ("text", "\u200b\u200b\ufeff\u00a0", HttpStatusCode.BadRequest),
            ("markdown", new string('>', 200) + " Cannabis may reduce pain.", HttpStatusCode.BadRequest),
        };
        foreach (var (format, content, expected) in cases)
        {
            var response = await editor.PostAsJsonAsync("/v1/sources", new { title = "Hostile", format, content });
            await response.ProblemAsync(expected);
        }
        // a body that is not UTF-8
        var bytes = Encoding.UTF8.GetBytes("{\"title\":\"Bad\",\"format\":\"text\",\"content\":\"caf__\"}");
        var invalid = bytes.Take(bytes.Length - 4).Concat(new byte[] { 0xff, 0xfe }).Concat(bytes.Skip(bytes.Length - 4)).ToArray();
        var raw = new ByteArrayContent(invalid);
        raw.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await (await editor.PostAsync("/v1/sources", raw)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal((sources, candidates), (await CountAsync("sources"), await CountAsync("candidates")));
        // anonymous: 401, and nothing read
        await (await api.Client.PostAsJsonAsync("/v1/sources", new { title = "x", format = "text", content = "x" })).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Pathological_text_is_read_in_time()
    {
        var editor = await api.EditorClientAsync();
        var contents = new (string Format, string Content)[]
        {
            ("text", "Cannabis helps pain" + new string('.', 200_000) + "x " + Guid.NewGuid()),
            ("text", string.Concat(Enumerable.Repeat("Cannabis may reduce pain. ", 20_000)) + Guid.NewGuid()),
            ("html", string.Concat(Enumerable.Repeat("<div>", 20_000)) + "Cannabis may reduce pain." + Guid.NewGuid()),
            ("html", string.Concat(Enumerable.Repeat("<ul><li>", 5_000)) + "Cannabis may reduce pain." + Guid.NewGuid()),
        };
        foreach (var (format, content) in contents)
        {
            var (response, body) = await AddAsync(editor, format, content);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{format} {content.Length}: {(int)response.StatusCode} {body}");
        }
    }

    [Fact]
    public async Task Ten_thousand_headings_are_ten_thousand_sections()
    {
        var editor = await api.EditorClientAsync();
        var markdown = string.Join("\n\n", Enumerable.Range(0, 10_000).Select(i => $"## Heading {i}\n\nCannabis may ease pain {i}."));
        var (response, added) = await AddAsync(editor, "markdown", markdown + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(10_000, added.GetProperty("sections").GetArrayLength());
        // one run proposes at most 2,000 candidates, in text order
        Assert.Equal(2_000, added.GetProperty("candidateCount").GetInt32());
    }

    [Fact]
    public async Task Metadata_changes_with_if_match_and_a_revision_and_the_list_filters()
    {
        var editor = await api.EditorClientAsync();
        var title = $"Findable {Guid.NewGuid():N}";
        var (response, _) = await AddAsync(editor, "text", Unique(Fixture("sleep-and-pain.txt"), "text"), title);
        var url = response.Headers.Location!.OriginalString;
        var read = await api.Client.GetAsync(url);
        var etag = read.Headers.ETag!.Tag;

        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { publisher = "Other" })).ProblemAsync(HttpStatusCode.PreconditionRequired);
        // digits of other scripts are not a DOI's
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { doi = "10.\u0661\u0662\u0663\u0664/abc" }, etag)).ProblemAsync(HttpStatusCode.BadRequest);
        // an empty change is no change
        var unchanged = await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { }, etag)).JsonAsync();
        Assert.Equal(1, unchanged.GetProperty("version").GetInt32());
        var edited = await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { publisher = "Other Press", kind = "news", doi = "10.1234/abc" }, etag)).JsonAsync();
        Assert.Equal("Other Press", edited.GetProperty("publisher").GetString());
        Assert.Equal(2, edited.GetProperty("version").GetInt32());
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { publisher = "Stale" }, etag)).ProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await editor.SendJsonAsync(HttpMethod.Patch, url, new { text = "new text" }, (await api.Client.GetAsync(url)).Headers.ETag!.Tag))
            .ProblemAsync(HttpStatusCode.BadRequest);

        var found = await (await api.Client.GetAsync($"/v1/sources?q={Uri.EscapeDataString(title.Split(' ')[1])}&kind=news&publisher=other%20press")).JsonAsync();
        Assert.Equal([url], found.GetProperty("items").EnumerateArray().Select(s => $"/v1/sources/{s.GetProperty("id").GetString()}"));

        var retired = await (await editor.SendJsonAsync(HttpMethod.Post, $"{url}/retire", new { reason = "Duplicate copy" },
            (await api.Client.GetAsync(url)).Headers.ETag!.Tag)).JsonAsync();
        Assert.True(retired.GetProperty("retired").GetBoolean());
        Assert.Empty((await (await api.Client.GetAsync($"/v1/sources?q={Uri.EscapeDataString(title.Split(' ')[1])}")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_seed_article_knows_its_sections_and_claims_carry_them()
    {
        var sources = await (await api.Client.GetAsync("/v1/sources")).JsonAsync();
        var seed = await (await api.Client.GetAsync($"/v1/sources/{sources.GetProperty("items")[0].GetProperty("id").GetString()}")).JsonAsync();
        var headings = seed.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("heading").GetString()).ToHashSet();
        var claims = await (await api.Client.GetAsync("/v1/claims?limit=200")).JsonAsync();
        // the curated sections are the derived ones
        Assert.All(claims.GetProperty("items").EnumerateArray(), c => Assert.Contains(c.GetProperty("section").GetString(), headings));
    }

    [Fact]
    public async Task The_command_line_adds_a_file_and_prints_its_id_and_candidates()
    {
        var file = Path.Combine(Path.GetTempPath(), $"article-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(file, Unique(Fixture("sleep-and-pain.md"), "markdown"));
        try
        {
            var output = await ApiProcess.RunCommandAsync(new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = api.ConnectionString },
                "sources", "add", "--title", "From the command line", "--kind", "blog", "--file", file);
            var id = output.Trim().Split('\n')[^1].Trim();
            var source = await (await api.Client.GetAsync($"/v1/sources/{id}")).JsonAsync();
            Assert.Equal("markdown", source.GetProperty("format").GetString());
            Assert.Equal("blog", source.GetProperty("kind").GetString());
            var candidates = await (await api.Client.GetAsync($"/v1/sources/{id}/candidates")).JsonAsync();
            Assert.Contains($"with {candidates.GetProperty("items").GetArrayLength()} candidate claims", output);

            var (exitCode, _, error) = await ApiProcess.RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = api.ConnectionString },
                "sources", "add", "--title", "Again", "--file", file);
            Assert.Equal(1, exitCode);
            Assert.Contains(id, error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
