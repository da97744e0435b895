using EvidenceApi.Claims;
using EvidenceApi.Tests.Infrastructure;
using Npgsql;

namespace EvidenceApi.Tests.Claims;

/// <summary>Every documented sort reads an index in its own order, so a page never sorts the whole catalogue.</summary>
public sealed class SortIndexTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_documented_sort_is_served_by_an_index_without_a_sort_step()
    {
        await api.Client.GetAsync("/health/ready");
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        // the seed is small enough to sort in memory: ask what the plan would be if scanning were expensive
        await using (var off = new NpgsqlCommand("set enable_seqscan = off; set enable_bitmapscan = off", connection))
            await off.ExecuteNonQueryAsync();

        foreach (var name in ClaimSort.Names.Where(n => n != ClaimSort.Relevance))
        {
            Assert.True(ClaimSort.TryParse(name, out var sort));
            await using var explain = new NpgsqlCommand(
                $"explain select c.id from claims c where c.retired_at is null {sort.OrderBy} limit 51", connection);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            var text = string.Join('\n', plan);
            Assert.True(text.Contains("Index Scan") && !text.Contains("Sort"), $"sort={name}:\n{text}");
        }
    }
}
