using System.Net;
using EvidenceApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace EvidenceApi.Tests.Health;

public sealed class HealthTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_200_with_the_database_up()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Ready_fails_and_live_does_not_while_the_database_is_unreachable()
    {
        // Same API, pointed at a port where no PostgreSQL listens.
        await using var factory = api.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Evidence", "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
            b.UseSetting("Database:MigrateOnStartup", "false");
        });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var html = await (await api.Client.GetAsync("/swagger/index.html")).Content.ReadAsStringAsync();
        Assert.Contains("swagger-ui", html);
    }
}
