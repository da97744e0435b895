using System.Net.Http.Json;
using System.Text.Json;
using EvidenceApi.Claims;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using EvidenceApi.Tests.Infrastructure;
using EvidenceApi.Vocabularies;
using Microsoft.Extensions.DependencyInjection;

namespace EvidenceApi.Tests.Claims;

/// <summary>
/// The in-memory claim index answers exactly what SQL answers — facet counts, and searches in relevance order with
/// PostgreSQL's own ts_rank floats — for filter sets and searches drawn at random over a synthetic catalogue.
/// </summary>
public sealed class ClaimIndexTests(ClaimIndexTests.SqlOnlyApi api) : IClassFixture<ClaimIndexTests.SqlOnlyApi>
{
    /// <summary>Facets counted by SQL alone: no index, nothing kept.</summary>
    public sealed class SqlOnlyApi : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["ClaimIndex:Enabled"] = "false",
            ["ResultCache:Size"] = "0",
        };

        private Task? _seeded;

        /// <summary>3,000 synthetic claims, loaded once for the class.</summary>
        public Task SeededAsync() => _seeded ??= ApiProcess.RunCommandAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = ConnectionString }, "seed-synthetic", "--claims", "3000", "--seed", "11");
    }

    private static readonly string[] Conditions = ["chronic-pain", "neuropathic-pain", "arthritis", "fibromyalgia", "cancer-pain", "pain"];
    private static readonly string[] Cannabinoids = ["thc", "cbd", "whole-plant-cannabis", "cannabinoids", "terpenes"];
    private static readonly string[] Populations = ["adults", "older-adults", "cancer-patients", "unspecified"];
    private static readonly string[] Statuses = ["needs-citation", "cited", "flagged"];
    private static readonly string[] Fields = ["condition", "cannabinoid", "route", "population", "comparator", "outcome", "direction",
        "claimedStrength", "evidenceLevel", "status", "source"];

    // the parameters that are set, as a query string (booleans as the API spells them)
    private static string QueryString(params (string Name, object? Value)[] parameters) => string.Join('&', parameters
        .Where(p => p.Value is not null)
        .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value is bool b ? (b ? "true" : "false") : p.Value!.ToString()!)}"));

    [Fact]
    public async Task The_index_counts_what_sql_counts_for_random_filter_sets()
    {
        await api.SeededAsync();
        await using var db = api.DataSource();
        var index = await ClaimIndex.BuildAsync(db, default);
        var vocabularies = api.Factory.Services.GetRequiredService<VocabularyCache>();
        var sources = (await (await api.Client.GetAsync("/v1/sources?limit=5")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToArray();

        var random = new Random(5);
        string? Pick(string[] values) => random.Next(3) == 0 ? null : string.Join(',', values.OrderBy(_ => random.Next()).Take(random.Next(1, 3)));
        for (var round = 0; round < 40; round++)
        {
            var query = new ClaimFacetsQuery
            {
                Condition = Pick(Conditions),
                IncludeNarrower = random.Next(2) == 0,
                Cannabinoid = Pick(Cannabinoids),
                Population = Pick(Populations),
                Status = Pick(Statuses),
                Source = random.Next(4) == 0 ? sources[random.Next(sources.Length)] : null,
                Overclaim = random.Next(5) == 0 ? false : null,
                IncludeRetired = random.Next(4) == 0,
                By = string.Join(',', Fields.OrderBy(_ => random.Next()).Take(random.Next(1, 5))),
            };
            var url = "/v1/claims/facets?" + QueryString(
                ("by", query.By), ("condition", query.Condition), ("includeNarrower", query.IncludeNarrower), ("cannabinoid", query.Cannabinoid),
                ("population", query.Population), ("status", query.Status), ("source", query.Source), ("overclaim", query.Overclaim),
                ("includeRetired", query.IncludeRetired));
            var bySql = await (await api.Client.GetAsync(url)).JsonAsync();

            await using var connection = await db.OpenConnectionAsync();
            var (filter, unknown) = await ClaimFilter.From(query).ResolveAsync(vocabularies, connection, default);
            Assert.Empty(unknown);
            var byIndex = JsonSerializer.SerializeToElement(index.Count(filter, CommaList.Split(query.By)!), ApiJson.Options);
            Assert.True(bySql.GetRawText() == byIndex.GetRawText(), $"{url}\nSQL:   {bySql.GetRawText()}\nindex: {byIndex.GetRawText()}");
        }
    }

    // words of the synthetic claims (rare and common), stop words, and names of terms (synonym search)
    private static readonly string[] Words = ["pain", "reduces", "sleep", "quality", "joint", "inflammation", "opioid", "muscle",
        "chronic", "nausea", "arthritis", "fibromyalgia", "cancer", "anxiety", "dizziness", "drowsiness", "mobility", "oil",
        "cannabis", "adults", "placebo", "neuropathic", "dose", "onset", "the", "for", "people", "weed", "nerve", "marijuana", "relief"];

    [Fact]
    public async Task The_index_ranks_searches_as_sql_ranks_them_to_the_bit()
    {
        await api.SeededAsync();
        await using var db = api.DataSource();
        var index = await ClaimIndex.BuildAsync(db, default);
        var vocabularies = api.Factory.Services.GetRequiredService<VocabularyCache>();
        var random = new Random(8);
        string Word() => Words[random.Next(Words.Length)];
        for (var round = 0; round < 60; round++)
        {
            var q = (round % 6) switch
            {
                0 => Word(),
                1 => $"{Word()} or {Word()}",
                2 => $"{Word()} -{Word()}",
                3 => $"{Word()} {Word()} {Word()}",
                _ => $"{Word()} {Word()}",
            };
            var query = new ListClaimsQuery
            {
                Q = q,
                Condition = random.Next(4) == 0 ? Conditions[random.Next(Conditions.Length)] : null,
                IncludeNarrower = random.Next(2) == 0,
                Status = random.Next(4) == 0 ? Statuses[random.Next(Statuses.Length)] : null,
                IncludeRetired = random.Next(3) == 0,
            };
            var url = "/v1/claims?limit=200&" + QueryString(
                ("q", query.Q), ("condition", query.Condition), ("includeNarrower", query.IncludeNarrower), ("status", query.Status),
                ("includeRetired", query.IncludeRetired));
            var bySql = (await (await api.Client.GetAsync(url)).JsonAsync()).GetProperty("items").EnumerateArray()
                .Select(c => c.GetProperty("id").GetGuid()).ToList();

            await using var connection = await db.OpenConnectionAsync();
            var (filter, unknown) = await ClaimFilter.From(query).ResolveAsync(vocabularies, connection, default);
            Assert.Empty(unknown);
            var byIndex = await RelevanceRanking.FromIndexAsync(connection, filter, index, 200, default);
            Assert.NotNull(byIndex);
            Assert.True(bySql.SequenceEqual(byIndex.Select(m => m.Id)),
                $"{url}: SQL gives {bySql.Count} claims, the index {byIndex.Count}; first difference at {bySql.Zip(byIndex).TakeWhile(p => p.First == p.Second.Id).Count()}");

            // and the very floats PostgreSQL ranks them by, so that cursors from either page the other
            var ranks = (await Dapper.SqlMapper.QueryAsync<(Guid Id, float Rank)>(connection,
                    "select id, ts_rank(search, websearch_to_tsquery('english', @q)) from claims where id = any(@ids)",
                    new { q, ids = bySql.ToArray() }))
                .ToDictionary(r => r.Id, r => r.Rank);
            foreach (var match in byIndex) Assert.Equal(BitConverter.SingleToInt32Bits(ranks[match.Id]), BitConverter.SingleToInt32Bits(match.Rank));
        }
    }

    [Fact]
    public async Task A_phrase_is_left_to_sql()
    {
        await api.SeededAsync();
        await using var db = api.DataSource();
        var index = await ClaimIndex.BuildAsync(db, default);
        await using var connection = await db.OpenConnectionAsync();
        var filter = ClaimFilter.From(new ListClaimsQuery { Q = "\"joint pain\"" });
        Assert.Null(await RelevanceRanking.FromIndexAsync(connection, filter, index, 50, default));
    }

    [Fact]
    public async Task TsRank_gives_the_floats_of_postgresql_for_repeated_distant_and_far_words()
    {
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        var filler = string.Join(' ', Enumerable.Range(0, 150).Select(i => $"w{i}x"));
        (string A, string B)[] documents =
        [
            ("reduces pain", "cannabis reduces chronic pain and pain relief follows the pain"),
            ("pain pain pain", "relief"),
            ($"pain {filler} relief", "sleep"),
            ("", $"relief {string.Join(' ', Enumerable.Range(0, 17000).Select(i => $"y{i % 50}z"))} pain relief"),
            ("sleep quality", "improves sleep for people with chronic pain"),
        ];
        string[] queries = ["pain", "pain relief", "relief pain chronic", "pain or relief", "pain -sleep", "sleep or pain or nothing", "pain pain"];
        foreach (var (a, b) in documents)
        {
            foreach (var q in queries)
            {
                await using var command = new Npgsql.NpgsqlCommand("""
                    select v, q, ts_rank(v, q)
                    from (select setweight(to_tsvector('english', @a), 'A') || setweight(to_tsvector('english', @b), 'B') as v,
                                 websearch_to_tsquery('english', @q) as q) t
                    """, connection);
                command.Parameters.AddWithValue("a", a);
                command.Parameters.AddWithValue("b", b);
                command.Parameters.AddWithValue("q", q);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var vector = reader.GetFieldValue<NpgsqlTypes.NpgsqlTsVector>(0);
                var query = reader.GetFieldValue<NpgsqlTypes.NpgsqlTsQuery>(1);
                var expected = reader.GetFloat(2);

                var items = TsRank.SortAndUnique(SearchPostings.Lexemes(query)).Select(lexeme =>
                    vector.Where(l => l.Text == lexeme).Select(l => Enumerable.Range(0, l.Count)
                        .Select(i => TsRank.Position(l[i].Pos, (int)l[i].Weight)).ToArray()).FirstOrDefault()).ToArray();
                var actual = TsRank.Rank(items, query is NpgsqlTypes.NpgsqlTsQueryAnd, vector.Count == 0);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
                    $"'{q}' on ({a[..Math.Min(a.Length, 30)]}, {b[..Math.Min(b.Length, 30)]}): PostgreSQL {expected:R}, TsRank {actual:R}");
            }
        }
    }

    [Fact]
    public async Task A_comparator_named_none_is_not_the_claims_without_a_comparator()
    {
        await api.SeededAsync();
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        await (await admin.PostAsJsonAsync("/v1/comparators", new { slug = "none", label = "Nothing compared" })).JsonAsync(System.Net.HttpStatusCode.Created);
        var body = await api.NewClaimBodyAsync();
        body["comparator"] = "none";
        await (await admin.PostAsJsonAsync("/v1/claims", body)).JsonAsync(System.Net.HttpStatusCode.Created);
        await using var db = api.DataSource();
        var index = await ClaimIndex.BuildAsync(db, default);
        var vocabularies = api.Factory.Services.GetRequiredService<VocabularyCache>();
        await using var connection = await db.OpenConnectionAsync();

        // facets: claims without one still count under `none`, as SQL counts them; the filter matches the term only
        var facets = new ClaimFacetsQuery { Comparator = "none", By = "comparator,status" };
        var bySql = await (await api.Client.GetAsync("/v1/claims/facets?comparator=none&by=comparator,status")).JsonAsync();
        var (filter, _) = await ClaimFilter.From(facets).ResolveAsync(vocabularies, connection, default);
        Assert.Equal(1, bySql.GetProperty("total").GetInt32());
        Assert.Equal(bySql.GetRawText(), JsonSerializer.SerializeToElement(index.Count(filter, ["comparator", "status"]), ApiJson.Options).GetRawText());
        var all = await (await api.Client.GetAsync("/v1/claims/facets?by=comparator")).JsonAsync();
        var (unfiltered, _) = await ClaimFilter.From(new ClaimFacetsQuery { By = "comparator" }).ResolveAsync(vocabularies, connection, default);
        Assert.Equal(all.GetRawText(), JsonSerializer.SerializeToElement(index.Count(unfiltered, ["comparator"]), ApiJson.Options).GetRawText());

        // a search with the filter: the one claim, from the index as from SQL
        var search = new ListClaimsQuery { Q = "pain", Comparator = "none" };
        var (searchFilter, _) = await ClaimFilter.From(search).ResolveAsync(vocabularies, connection, default);
        var fromIndex = await RelevanceRanking.FromIndexAsync(connection, searchFilter, index, 50, default);
        var fromSql = (await (await api.Client.GetAsync("/v1/claims?q=pain&comparator=none")).JsonAsync()).GetProperty("items")
            .EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Single(fromSql);
        Assert.Equal(fromSql, fromIndex!.Select(m => m.Id));
    }
}
