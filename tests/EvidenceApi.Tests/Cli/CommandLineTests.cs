using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_usage_and_exits_0_without_a_database(string argument)
    {
        var (exitCode, output, _) = await ApiProcess.RunAsync(new Dictionary<string, string>(), argument);
        Assert.Equal(0, exitCode);
        Assert.Contains("EvidenceApi editors add <name>", output);
        Assert.Contains("seed-synthetic", output);
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("editors", "add", "jane")]
    [InlineData("seed-synthetic", "--claims", "10")]
    public async Task A_command_without_a_database_says_so_in_one_line_and_fails(params string[] arguments)
    {
        var (exitCode, _, error) = await ApiProcess.RunAsync(new Dictionary<string, string>(), arguments);
        Assert.Equal(2, exitCode);
        Assert.Equal("error: Connection string 'ConnectionStrings:Evidence' (env ConnectionStrings__Evidence) is not set.", error.Trim());

        var port = ApiProcess.FreePort();
        (exitCode, _, error) = await ApiProcess.RunAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = $"Host=127.0.0.1;Port={port};Username=postgres;Database=x" }, arguments);
        Assert.Equal(3, exitCode);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"error: cannot reach the database at 127.0.0.1:{port}", error.Trim());
    }

    [Fact]
    public async Task A_server_that_refuses_the_database_is_named_as_such()
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("EVIDENCE_TEST_CONNECTION")
            ?? throw new InvalidOperationException("Run the suite through scripts/test.sh."))
        { Database = "no_such_database" };
        var (exitCode, _, error) = await ApiProcess.RunAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = server.ConnectionString }, "migrate");
        Assert.Equal(3, exitCode);
        Assert.Equal($"error: the server at {server.Host}:{server.Port} refused: database \"no_such_database\" does not exist (3D000).", error.Trim());
    }
}
