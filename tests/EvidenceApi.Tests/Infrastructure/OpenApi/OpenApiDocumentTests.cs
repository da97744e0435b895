using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Infrastructure.OpenApi;

public sealed class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>openapi/evidence-api.json in the checkout. Set UPDATE_OPENAPI=1 to rewrite it from the running API.</summary>
    public static string CommittedPath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EvidenceApi.sln"))) folder = folder.Parent;
        Assert.NotNull(folder);
        return Path.Combine(folder.FullName, "openapi", "evidence-api.json");
    }

    public static async Task<string> ServedAsync(HttpClient client)
    {
        var served = await (await client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        return JsonNode.Parse(served.GetRawText())!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    [Fact]
    public async Task The_served_document_is_the_committed_contract()
    {
        var served = await ServedAsync(api.Client);
        var path = CommittedPath();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(path, served);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with UPDATE_OPENAPI=1.");
        Assert.Equal(await File.ReadAllTextAsync(path), served);
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_and_a_tag()
    {
        var document = JsonNode.Parse(await ServedAsync(api.Client))!;
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty(operation!["operationId"]?.GetValue<string>()), $"{method} {path} has no operationId");
                Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
                Assert.NotEmpty(operation["tags"]!.AsArray());
            }
    }

    [Fact]
    public async Task Enums_are_documented_as_their_string_values()
    {
        var document = JsonNode.Parse(await ServedAsync(api.Client))!;
        var status = document["components"]!["schemas"]!["ClaimStatus"]!;
        Assert.Equal("string", status["type"]!.GetValue<string>());
        Assert.Equal(["flagged", "needs-citation", "cited"], status["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
