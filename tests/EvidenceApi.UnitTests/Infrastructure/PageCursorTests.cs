using EvidenceApi.Infrastructure;

namespace EvidenceApi.UnitTests.Infrastructure;

public sealed class PageCursorTests
{
    [Fact]
    public void A_cursor_gives_back_the_key_it_was_made_from_for_its_own_order_only()
    {
        var id = Guid.CreateVersion7();
        var cursor = PageCursor.Encode("created", new DateTime(2026, 11, 28, 1, 2, 3, DateTimeKind.Utc), id);
        Assert.True(PageCursor.TryDecode(cursor, "created", 2, out var key, out _, k => PageCursor.IsTime(k[0]) && PageCursor.IsUuid(k[1])));
        Assert.Equal(new DateTime(2026, 11, 28, 1, 2, 3, DateTimeKind.Utc), key[0].GetDateTime().ToUniversalTime());
        Assert.Equal(id, key[1].GetGuid());

        Assert.False(PageCursor.TryDecode(cursor, "raised", 2, out _, out var error));
        Assert.Contains("'created'", error);
        Assert.False(PageCursor.TryDecode(cursor, "created", 1, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("eyJvIjoicmFpc2VkIiwiayI6WyJ4Il19")] // {"o":"raised","k":["x"]}: right order, a key that is no uuid
    [InlineData("bnVsbA")] // null
    public void Anything_else_is_not_a_cursor(string text) =>
        Assert.False(PageCursor.TryDecode(text, "raised", 1, out _, out _, k => PageCursor.IsUuid(k[0])));

    [Fact]
    public void A_page_of_one_more_row_than_its_limit_has_a_cursor_after_its_last_item()
    {
        var page = Paging.Of([1, 2, 3], 2, n => n * 10, "n", n => [n]);
        Assert.Equal([10, 20], page.Items);
        Assert.True(PageCursor.TryDecode(page.NextCursor!, "n", 1, out var key, out _));
        Assert.Equal(2, key[0].GetInt32());
        Assert.Null(Paging.Of([1, 2], 2, n => n, "n", n => [n]).NextCursor);
    }

    [Fact]
    public void A_slice_of_a_list_in_memory_pages_in_ordinal_order()
    {
        string[] slugs = ["b-x", "a", "b", "a-b"];
        var first = Paging.Slice(slugs, new PageQuery { Limit = 2 }, "slug", s => s)!;
        Assert.Equal(["a", "a-b"], first.Items);
        var second = Paging.Slice(slugs, new PageQuery { Limit = 2, Cursor = first.NextCursor }, "slug", s => s)!;
        Assert.Equal(["b", "b-x"], second.Items);
        Assert.Null(second.NextCursor);
        Assert.Null(Paging.Slice(slugs, new PageQuery { Cursor = "junk" }, "slug", s => s));
    }
}
