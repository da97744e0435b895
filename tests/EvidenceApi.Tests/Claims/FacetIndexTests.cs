using System.Net.Http.Json;
using System.Text.Json;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using EvidenceApi.Tests.Infrastructure;
using EvidenceApi.Vocabularies;
using Microsoft.Extensions.DependencyInjection;

namespace EvidenceApi.Tests.Claims;

/// <summary>
/// The in-memory facet index answers exactly what SQL answers, for filter sets drawn at random over a synthetic
/// catalogue, and is never used once the claims have changed.
/// </summary>
public sealed class FacetIndexTests(FacetIndexTests.SqlOnlyApi api) : IClassFixture<FacetIndexTests.SqlOnlyApi>
{
    /// <summary>Facets counted by SQL alone: no index, nothing kept.</summary>
    public sealed class SqlOnlyApi : ApiFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["FacetIndex:Enabled"] = "false",
            ["ResultCache:Size"] = "0",
        };
    }

    private static readonly string[] Conditions = ["chronic-pain", "neuropathic-pain", "arthritis", "fibromyalgia", "cancer-pain", "pain"];
    private static readonly string[] Cannabinoids = ["thc", "cbd", "whole-plant-cannabis", "cannabinoids", "terpenes"];
    private static readonly string[] Populations = ["adults", "older-adults", "cancer-patients", "unspecified"];
    private static readonly string[] Statuses = ["needs-citation", "cited", "flagged"];
    private static readonly string[] Fields = ["condition", "cannabinoid", "route", "population", "comparator", "outcome", "direction",
        "claimedStrength", "evidenceLevel", "status", "source"];

    [Fact]
    public async Task The_index_counts_what_sql_counts_for_random_filter_sets()
    {
        await ApiProcess.RunCommandAsync(new Dictionary<string, string> { ["ConnectionStrings__Evidence"] = api.ConnectionString },
            "seed-synthetic", "--claims", "3000", "--seed", "11");
        await using var db = api.DataSource();
        var index = await FacetIndex.BuildAsync(db, default);
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
            var url = "/v1/claims/facets?" + string.Join('&', new (string Name, object? Value)[]
            {
                ("by", query.By), ("condition", query.Condition), ("includeNarrower", query.IncludeNarrower), ("cannabinoid", query.Cannabinoid),
                ("population", query.Population), ("status", query.Status), ("source", query.Source), ("overclaim", query.Overclaim),
                ("includeRetired", query.IncludeRetired),
            }.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value is bool b ? (b ? "true" : "false") : p.Value!.ToString()!)}"));
            var bySql = await (await api.Client.GetAsync(url)).JsonAsync();

            await using var connection = await db.OpenConnectionAsync();
            var (filter, unknown) = await ClaimFilter.From(query).ResolveAsync(vocabularies, connection, default);
            Assert.Empty(unknown);
            var byIndex = JsonSerializer.SerializeToElement(index.Count(filter, CommaList.Split(query.By)!), ApiJson.Options);
            Assert.True(bySql.GetRawText() == byIndex.GetRawText(), $"{url}\nSQL:   {bySql.GetRawText()}\nindex: {byIndex.GetRawText()}");
        }
    }
}
