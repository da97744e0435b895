using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace EvidenceApi.Tests.Infrastructure;

/// <summary>The API hosted in-process over a database of its own, migrated and seeded at start-up.</summary>
public class ApiFixture : IAsyncLifetime
{
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string ConnectionString { get; private set; } = null!;
    public PostgresServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.SharedAsync();
        ConnectionString = await Server.CreateDatabaseAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Evidence", ConnectionString);
            builder.UseSetting("RateLimiting:Enabled", "false");
            foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        });
        Client = Factory.CreateClient();
    }

    public NpgsqlDataSource DataSource() => NpgsqlDataSource.Create(ConnectionString);

    /// <summary>A client that sends the key of a new editor with <paramref name="role"/>.</summary>
    public async Task<HttpClient> EditorClientAsync(EditorRole role = EditorRole.Editor)
    {
        var created = await CreateEditorAsync(role);
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Key);
        return client;
    }

    public async Task<CreatedEditorResponse> CreateEditorAsync(EditorRole role = EditorRole.Editor)
    {
        await using var db = DataSource();
        await using var connection = await db.OpenConnectionAsync();
        return (await EditorStore.AddAsync(connection, $"{Slugs.Of(role)}-{Guid.NewGuid():N}", role, default))!;
    }

    /// <summary>A body for POST /v1/claims that quotes the seeded article correctly.</summary>
    public async Task<JsonObject> NewClaimBodyAsync()
    {
        var page = await (await Client.GetAsync("/v1/claims?limit=1&sort=position")).JsonAsync();
        var seed = page.GetProperty("items")[0];
        return new JsonObject
        {
            ["sourceId"] = seed.GetProperty("source").GetProperty("id").GetGuid(),
            ["quote"] = seed.GetProperty("quote").GetString(),
            ["position"] = JsonNode.Parse(seed.GetProperty("position").GetRawText()),
            ["section"] = "Introduction",
            ["conditions"] = new JsonArray("chronic-pain"),
            ["cannabinoids"] = new JsonArray("whole-plant-cannabis"),
            ["effect"] = "alleviates pain",
            ["outcome"] = "pain",
            ["direction"] = "benefit",
            ["claimedStrength"] = "suggested",
        };
    }

    /// <summary>Creates a claim of its own for a test, and returns it with its ETag.</summary>
    public async Task<(JsonElement Claim, string ETag)> CreateClaimAsync(HttpClient editor)
    {
        var response = await editor.PostAsJsonAsync("/v1/claims", await NewClaimBodyAsync());
        var claim = await response.JsonAsync(System.Net.HttpStatusCode.Created);
        return (claim, response.Headers.ETag!.Tag);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
