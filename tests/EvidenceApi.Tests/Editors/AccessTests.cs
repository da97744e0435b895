using System.Net;
using System.Net.Http.Headers;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;
using EvidenceApi.Tests.Infrastructure.OpenApi;
using Npgsql;

namespace EvidenceApi.Tests.Editors;

public sealed class AccessTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Dictionary<string, string> AnyIds = new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["citationId"] = Guid.NewGuid().ToString(),
    };

    public static TheoryData<string, string> WriteOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var op in OpenApiOperation.All().Where(o => o.IsWrite)) data.Add(op.Method, op.Path);
        return data;
    }

    private static HttpRequestMessage Request(string method, string path, string? authorization)
    {
        var op = OpenApiOperation.All().Single(o => o.Method == method && o.Path == path);
        var request = new HttpRequestMessage(new HttpMethod(method), op.Url(AnyIds));
        if (op.BodyExample is { } example) request.Content = new StringContent(example.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    [Fact]
    public void Every_write_operation_is_documented_as_secured()
    {
        var writes = OpenApiOperation.All().Where(o => o.Method != "GET").ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, o => Assert.True(o.IsWrite, $"{o.Method} {o.Path} has no security requirement"));
        Assert.All(writes, o => Assert.Contains(401, o.DocumentedStatuses));
    }

    [Theory]
    [MemberData(nameof(WriteOperations))]
    public async Task Writes_answer_401_without_a_key_with_a_wrong_key_and_with_a_revoked_key(string method, string path)
    {
        var created = await api.CreateEditorAsync(EditorRole.Admin);
        var revoked = await api.CreateEditorAsync(EditorRole.Admin);
        await using (var db = api.DataSource())
        await using (var connection = await db.OpenConnectionAsync())
            await EditorStore.RevokeAsync(connection, revoked.Editor.Name, default);

        foreach (var authorization in new[] { null, "Bearer " + created.Key![..^4] + "AAAA", "Bearer " + revoked.Key, "Basic " + created.Key })
        {
            var response = await api.Client.SendAsync(Request(method, path, authorization));
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.DoesNotContain(created.Key, await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [MemberData(nameof(WriteOperations))]
    public async Task Editors_get_403_from_admin_operations_and_pass_the_others(string method, string path)
    {
        var editor = await api.CreateEditorAsync(EditorRole.Editor);
        var response = await api.Client.SendAsync(Request(method, path, "Bearer " + editor.Key));
        var isAdminOnly = OpenApiOperation.All().Single(o => o.Method == method && o.Path == path).IsAdminOnly;
        if (isAdminOnly) await response.ProblemAsync(HttpStatusCode.Forbidden);
        else Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("id", "\"00000000-0000-0000-0000-000000000001\"")]
    [InlineData("status", "\"cited\"")]
    [InlineData("overclaim", "true")]
    [InlineData("version", "99")]
    [InlineData("createdAt", "\"2020-01-01T00:00:00Z\"")]
    [InlineData("evidenceLevel", "\"conclusive\"")]
    [InlineData("citations", "[]")]
    public async Task Server_owned_fields_cannot_be_set_on_create(string field, string value)
    {
        var editor = await api.EditorClientAsync();
        var body = await api.NewClaimBodyAsync();
        body[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var problem = await (await editor.SendJsonAsync(HttpMethod.Post, "/v1/claims", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Authorship_of_a_citation_cannot_be_set_by_the_client()
    {
        var editor = await api.EditorClientAsync();
        var (claim, etag) = await api.CreateClaimAsync(editor);
        var citation = new { kind = "pmid", identifier = "1", title = "t", year = 2020, stance = "supports", addedBy = "someone-else" };
        await (await editor.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{claim.GetProperty("id").GetGuid()}/citations", citation, etag))
            .ProblemAsync(HttpStatusCode.BadRequest);
    }
}
