using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Editors;

public sealed class EditorTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient WithKey(string key)
    {
        var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task<(int ExitCode, string Output)> RunCliAsync(params string[] args)
    {
        var (exitCode, output, _) = await ApiProcess.RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = api.ConnectionString }, args);
        return (exitCode, output);
    }

    [Fact]
    public async Task The_cli_adds_an_editor_whose_key_works_and_revokes_it()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var (code, output) = await RunCliAsync("editors", "add", name, "--role", "admin");
        Assert.Equal(0, code);
        var key = output.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("evk_", key);

        var admin = WithKey(key);
        var editors = await (await admin.GetAsync("/v1/editors")).JsonAsync();
        Assert.Contains(editors.GetProperty("items").EnumerateArray(), e => e.GetProperty("name").GetString() == name && e.GetProperty("role").GetString() == "admin");
        Assert.DoesNotContain(key, editors.GetRawText());

        Assert.Equal(0, (await RunCliAsync("editors", "revoke", name)).ExitCode);
        var problem = await (await admin.GetAsync("/v1/editors")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The key is not valid.", problem.GetProperty("detail").GetString());
        Assert.NotEqual(0, (await RunCliAsync("editors", "add", name)).ExitCode);
    }

    [Fact]
    public async Task Admins_manage_editors_over_http_and_a_new_key_is_shown_once()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var name = "http-" + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.PostAsJsonAsync("/v1/editors", new { name });
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal("editor", created.GetProperty("editor").GetProperty("role").GetString());

        var editor = WithKey(key);
        await (await editor.PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync())).JsonAsync(HttpStatusCode.Created);
        await (await editor.GetAsync("/v1/editors")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PostAsJsonAsync("/v1/editors", new { name })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync("/v1/editors", new { name = "no spaces allowed" })).ProblemAsync(HttpStatusCode.BadRequest);

        var id = created.GetProperty("editor").GetProperty("id").GetGuid();
        var revoked = await (await admin.PostAsync($"/v1/editors/{id}/revoke", null)).JsonAsync();
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        await (await editor.PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync())).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.PostAsync($"/v1/editors/{Guid.NewGuid()}/revoke", null)).ProblemAsync(HttpStatusCode.NotFound);

        await using var db = api.DataSource();
        await using var command = db.CreateCommand($"select count(*) from editors where key_hash = sha256(convert_to('{key}', 'UTF8'))");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("Bearer evk_00000000000000000000000000000000_notarealsecretnotarealsecretnotarealsecret")]
    [InlineData("Bearer nonsense")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Wrong_or_malformed_keys_are_401(string authorization)
    {
        var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        await (await client.PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync())).ProblemAsync(HttpStatusCode.Unauthorized);
        // a bad credential is refused even where none is needed, as GitHub's API does (RFC 6750 invalid_token)
        await (await client.GetAsync("/v1/claims?limit=1")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_of_one_editor_with_another_editors_id_is_refused()
    {
        var alice = await api.CreateEditorAsync();
        var bob = await api.CreateEditorAsync();
        var forged = "evk_" + bob.Editor.Id.ToString("N") + alice.Key![36..];
        await (await WithKey(forged).PostAsJsonAsync("/v1/claims", await api.NewClaimBodyAsync())).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
