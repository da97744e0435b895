using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Changes;

public sealed class ChangeFeedTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private sealed record Read(List<(string Entity, string Id, int Version)> Items, string Cursor);

    /// <summary>Follows the feed from <paramref name="cursor"/> until it says it has caught up.</summary>
    private async Task<Read> DrainAsync(string? cursor)
    {
        var items = new List<(string, string, int)>();
        while (true)
        {
            var page = await (await api.Client.GetAsync($"/v1/changes?limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}")).JsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i =>
                (i.GetProperty("entity").GetString()!, i.GetProperty("id").GetString()!, i.GetProperty("version").GetInt32())));
            cursor = page.GetProperty("nextCursor").GetString()!;
            if (!page.GetProperty("more").GetBoolean()) return new Read(items, cursor);
        }
    }

    /// <summary>
    /// Follows the feed until it has shown <paramref name="count"/> revisions. Any open transaction on the server, in any
    /// database, holds back what committed after it began (the snapshot's xmin is server-wide), and other tests write to
    /// other databases of the same server: a revision may show a moment after its commit, never out of order.
    /// </summary>
    private async Task<Read> DrainUntilAsync(string? cursor, long count)
    {
        var items = new List<(string, string, int)>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var read = await DrainAsync(cursor);
            items.AddRange(read.Items);
            cursor = read.Cursor;
            if (items.Count >= count || DateTime.UtcNow > deadline) return new Read(items, cursor);
            await Task.Delay(50);
        }
    }

    private async Task<long> RevisionCountAsync()
    {
        await using var db = api.DataSource();
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            select (select count(*) from claim_revisions) + (select count(*) from term_revisions) + (select count(*) from source_revisions)
                 + (select count(*) from candidate_revisions) + (select count(*) from finding_revisions)
            """);
    }

    [Fact]
    public async Task The_feed_lists_every_revision_once_with_the_entity_as_it_was()
    {
        var editor = await api.EditorClientAsync();
        await api.CreateClaimAsync(editor);
        var read = await DrainUntilAsync(null, await RevisionCountAsync());
        Assert.Equal(await RevisionCountAsync(), read.Items.Count);
        Assert.Equal(read.Items.Count, read.Items.Distinct().Count());
        Assert.Contains(read.Items, i => i.Entity == "finding");
        Assert.Contains(read.Items, i => i.Entity == "claim");

        // every entity the catalogue ships is in the feed too, so a mirror that follows it from the start has them all
        Assert.Contains(read.Items, i => i.Entity == "source");
        Assert.Contains(read.Items, i => i.Entity == "term" && i.Id == "conditions/chronic-pain");
        var page = await (await api.Client.GetAsync("/v1/changes?limit=200")).JsonAsync();
        var claim = page.GetProperty("items").EnumerateArray().First(i => i.GetProperty("entity").GetString() == "claim");
        Assert.Equal(claim.GetProperty("id").GetString(), claim.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(claim.GetProperty("href").GetString())).StatusCode);
        var term = page.GetProperty("items").EnumerateArray().First(i => i.GetProperty("entity").GetString() == "term");
        Assert.Equal(term.GetProperty("id").GetString()!.Split('/')[1], term.GetProperty("data").GetProperty("slug").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(term.GetProperty("href").GetString())).StatusCode);

        await (await api.Client.GetAsync("/v1/changes?cursor=forged")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await api.Client.GetAsync("/v1/changes?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_revision_that_commits_after_a_later_one_is_never_skipped()
    {
        var editor = await api.EditorClientAsync();
        var start = (await DrainUntilAsync(null, await RevisionCountAsync())).Cursor;

        // an older transaction writes a revision and stays open...
        await using var db = api.DataSource();
        await using var held = await db.OpenConnectionAsync();
        await using var transaction = await held.BeginTransactionAsync();
        var finding = await held.QuerySingleAsync<(Guid Id, int Version)>(
            "update findings set note = 'held open', version = version + 1 where locator = '4-1' returning id, version", transaction: transaction);
        await held.ExecuteAsync("insert into finding_revisions (finding_id, version, change, snapshot) values (@Id, @Version, 'updated', '{}')",
            new { finding.Id, finding.Version }, transaction);

        // ...while a later one commits
        var (claim, _) = await api.CreateClaimAsync(editor);
        var whileOpen = await DrainAsync(start);
        Assert.Empty(whileOpen.Items); // the later revision is held back: showing it would move readers past the open one
        Assert.Equal(start, whileOpen.Cursor);

        await transaction.CommitAsync();
        var after = await DrainUntilAsync(whileOpen.Cursor, 2);
        Assert.Equal([("finding", finding.Id.ToString(), finding.Version), ("claim", claim.GetProperty("id").GetString()!, 1)], after.Items);
    }

    [Fact]
    public async Task A_reader_following_the_feed_during_concurrent_writes_sees_every_revision_exactly_once()
    {
        var editors = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.EditorClientAsync()));
        var cursor = (await DrainUntilAsync(null, await RevisionCountAsync())).Cursor;
        var seen = new List<(string Entity, string Id, int Version)>();
        var writing = Task.WhenAll(editors.Select(async editor =>
        {
            for (var i = 0; i < 6; i++)
            {
                var (claim, etag) = await api.CreateClaimAsync(editor);
                await (await editor.SendJsonAsync(HttpMethod.Patch, $"/v1/claims/{claim.GetProperty("id").GetGuid()}",
                    new { evidenceLevel = "insufficient" }, etag)).JsonAsync();
            }
        }));
        while (!writing.IsCompleted)
        {
            var read = await DrainAsync(cursor);
            seen.AddRange(read.Items);
            cursor = read.Cursor;
        }
        await writing;
        seen.AddRange((await DrainUntilAsync(cursor, 4 * 6 * 2 - seen.Count)).Items);

        Assert.Equal(4 * 6 * 2, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        foreach (var group in seen.GroupBy(s => s.Id)) Assert.Equal([1, 2], group.Select(g => g.Version).Order());
    }
}
