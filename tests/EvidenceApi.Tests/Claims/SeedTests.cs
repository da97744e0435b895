using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Claims;

public sealed class SeedTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ArticleSha256 = "ce48082fd43e8ae6858c399f72d44e8f1730f0059363cabb396fa389c414a637";

    private async Task<(JsonElement Source, List<JsonElement> Claims)> SeedAsync()
    {
        var sources = await (await api.Client.GetAsync("/v1/sources")).JsonAsync();
        var seed = sources.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("sha256").GetString() == ArticleSha256);
        var id = seed.GetProperty("id").GetGuid();
        var source = await (await api.Client.GetAsync($"/v1/sources/{id}")).JsonAsync();
        var page = await (await api.Client.GetAsync($"/v1/claims?source={id}&limit=200&sort=position")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        return (source, page.GetProperty("items").EnumerateArray().ToList());
    }

    [Fact]
    public async Task The_article_is_shipped_byte_for_byte_and_served_as_the_first_source()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "db", "seed", "seed-article.txt"));
        Assert.Equal(ArticleSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var (source, _) = await SeedAsync();
        Assert.Equal(Encoding.UTF8.GetString(bytes), source.GetProperty("text").GetString());
        Assert.Equal("Medical marijuana for chronic pain", source.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Every_seeded_quote_is_the_exact_slice_of_the_article_at_its_offsets()
    {
        var (source, claims) = await SeedAsync();
        var text = source.GetProperty("text").GetString()!;
        Assert.True(claims.Count >= 30, $"only {claims.Count} claims");
        foreach (var claim in claims)
        {
            var start = claim.GetProperty("position").GetProperty("start").GetInt32();
            var end = claim.GetProperty("position").GetProperty("end").GetInt32();
            // the article has no characters outside the BMP, so code-point offsets are string indices
            Assert.Equal(text[start..end], claim.GetProperty("quote").GetString());
        }
    }

    [Fact]
    public async Task Every_seeded_claim_stands_under_the_heading_it_names_and_is_uncited_and_unassessed()
    {
        var (source, claims) = await SeedAsync();
        var text = source.GetProperty("text").GetString()!;
        foreach (var claim in claims)
        {
            var section = claim.GetProperty("section").GetString()!;
            var start = claim.GetProperty("position").GetProperty("start").GetInt32();
            if (section != "Introduction") Assert.InRange(text.LastIndexOf("\n" + section + "\n", start, StringComparison.Ordinal), 0, start);
            Assert.Equal("needs-citation", claim.GetProperty("status").GetString());
            Assert.Equal("unassessed", claim.GetProperty("evidenceLevel").GetString());
            Assert.Equal(JsonValueKind.Null, claim.GetProperty("overclaim").ValueKind);
            Assert.Empty(claim.GetProperty("citations").EnumerateArray());
            Assert.NotEmpty(claim.GetProperty("conditions").EnumerateArray());
            Assert.NotEmpty(claim.GetProperty("cannabinoids").EnumerateArray());
            Assert.Equal(1, claim.GetProperty("version").GetInt32());
        }
    }

    [Fact]
    public async Task The_seed_covers_each_kind_of_wording_and_the_main_conditions()
    {
        var (_, claims) = await SeedAsync();
        var strengths = claims.Select(c => c.GetProperty("claimedStrength").GetString()).ToHashSet();
        Assert.Equal(["asserted", "speculative", "suggested"], strengths.Order());
        var conditions = claims.SelectMany(c => c.GetProperty("conditions").Strings()).ToHashSet();
        Assert.Superset(new HashSet<string> { "neuropathic-pain", "fibromyalgia", "cancer-pain", "arthritis", "chronic-pain" }, conditions);
        Assert.Contains(claims, c => c.GetProperty("direction").GetString() == "harm");
        Assert.Contains(claims, c => c.GetProperty("comparator").GetString() == "opioids");
    }

    [Fact]
    public async Task Every_seeded_claim_has_its_created_revision()
    {
        await using var db = api.DataSource();
        await using var command = db.CreateCommand(
            "select count(*) from claims c where not exists (select 1 from claim_revisions r where r.claim_id = c.id and r.version = 1 and r.change = 'created')");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
