using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EvidenceApi.Tests.Infrastructure;

/// <summary>The API in-process over a PostgreSQL server of the test's own, which the test may stop, freeze or lock.</summary>
public abstract class PrivateServerApi : IAsyncLifetime
{
    protected PrivatePostgres Server { get; private set; } = null!;
    protected WebApplicationFactory<Program> Factory { get; private set; } = null!;
    protected string ConnectionString => Server.ConnectionString;

    /// <summary>Settings besides the connection string and Production.</summary>
    protected abstract IReadOnlyDictionary<string, string> Settings { get; }

    public async Task InitializeAsync()
    {
        Server = await PrivatePostgres.StartAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Evidence", Server.ConnectionString);
            foreach (var (key, value) in Settings) b.UseSetting(key, value);
        });
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Server.DisposeAsync();
    }
}
