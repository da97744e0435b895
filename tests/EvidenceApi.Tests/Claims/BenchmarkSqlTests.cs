using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

/// <summary>
/// The benchmark's pgbench rows and EXPLAINs run the SQL files in scripts/benchmark/sql/. Each must be what the API
/// really sends for the request its header names, statement for statement, or the benchmark measures something else.
/// The statements are taken from Npgsql's own tracing while the API answers the request.
/// </summary>
public sealed partial class BenchmarkSqlTests(BenchmarkSqlTests.SqlFacetsApi api) : IClassFixture<BenchmarkSqlTests.SqlFacetsApi>
{
    /// <summary>Filtered facets counted in SQL, as `sql/facets-filtered.sql` shows them (the in-memory index answers them
    /// once it is built; the SQL is what a request costs without it).</summary>
    public sealed class SqlFacetsApi : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["ClaimIndex:Enabled"] = "false" };
    }

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex Comment { get; }

    // literals, parameters (@name, $1) and psql variables (:name) all stand for "a value"
    [GeneratedRegex(@"'(?:[^']|'')*'(?:::\w+(?:\[\])?)?|\$\d+(?:::\w+(?:\[\])?)?|@[A-Za-z_]\w*|(?<!:):[a-z_]+|\b\d+\b")]
    private static partial Regex Value { get; }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space { get; }

    private static string Canonical(string sql) => Space.Replace(Value.Replace(Comment.Replace(sql, " "), "?"), " ").Trim().TrimEnd(';').Trim();

    private static string[] FileStatements(string name)
    {
        var path = Path.Combine(RepositoryRoot(), "scripts", "benchmark", "sql", name + ".sql");
        return Comment.Replace(File.ReadAllText(path), " ").Split(';').Select(Canonical).Where(s => s.Length > 0).ToArray();
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "EvidenceApi.sln"))) folder = folder.Parent!;
        return folder.FullName;
    }

    private async Task<string[]> StatementsOfAsync(string url)
    {
        var statements = new ConcurrentQueue<(ActivityTraceId Trace, string Sql)>();
        using var listener = new ActivityListener
        {
            // the request's own activity (ASP.NET Core's) carries the trace the test sends; Npgsql's are its children
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name != "Npgsql") return;
                var sql = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
                if (sql is string text) statements.Enqueue((activity.TraceId, text));
            },
        };
        ActivitySource.AddActivityListener(listener);
        var trace = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        (await api.Client.SendAsync(request)).EnsureSuccessStatusCode();
        return statements.Where(s => s.Trace == trace)
            .SelectMany(s => s.Sql.Split(';')).Select(Canonical).Where(s => s.Length > 0).ToArray();
    }

    [Theory]
    [InlineData("list", "/v1/claims?condition=fibromyalgia&status=needs-citation&limit=50")]
    [InlineData("list-deep", "/v1/claims?condition=fibromyalgia&status=needs-citation&limit=50&cursor={cursor}")]
    [InlineData("claim", "/v1/claims/{id}")]
    [InlineData("facets", "/v1/claims/facets?by=condition,status")]
    [InlineData("facets-filtered", "/v1/claims/facets?by=condition,status&condition=fibromyalgia&cannabinoid=terpenes&population=older-adults")]
    [InlineData("search", "/v1/claims?q=reduces%20pain&limit=50")]
    public async Task Each_benchmark_statement_is_the_one_the_api_sends(string file, string url)
    {
        // load the vocabulary cache first, with a request the benchmark files do not name
        var first = await (await api.Client.GetAsync("/v1/claims?condition=chronic-pain&includeNarrower=true&limit=1")).JsonAsync();
        var deep = await (await api.Client.GetAsync("/v1/claims?condition=fibromyalgia&status=needs-citation&limit=1")).JsonAsync();
        url = url.Replace("{id}", first.GetProperty("items")[0].GetProperty("id").GetString())
            .Replace("{cursor}", deep.GetProperty("nextCursor").GetString());

        var sent = await StatementsOfAsync(url);
        var expected = FileStatements(file);
        Assert.True(expected.SequenceEqual(sent),
            $"scripts/benchmark/sql/{file}.sql:\n{string.Join("\n", expected)}\n\nthe API sent for {url}:\n{string.Join("\n", sent)}");
    }
}
