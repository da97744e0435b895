using System.Net;
using EvidenceApi.Tests.Infrastructure;

namespace EvidenceApi.Tests.Sources;

public sealed class SourceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Sources_list_without_text_and_one_source_has_its_text()
    {
        var list = await (await api.Client.GetAsync("/v1/sources")).JsonAsync();
        var first = list.GetProperty("items")[0];
        Assert.False(first.TryGetProperty("text", out _));
        Assert.True(first.GetProperty("claimCount").GetInt32() >= 30);

        var source = await (await api.Client.GetAsync($"/v1/sources/{first.GetProperty("id").GetGuid()}")).JsonAsync();
        Assert.Equal(first.GetProperty("length").GetInt32(), source.GetProperty("text").GetString()!.Length);
    }

    [Fact]
    public async Task Unknown_source_is_404_and_malformed_id_is_400()
    {
        await (await api.Client.GetAsync($"/v1/sources/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await api.Client.GetAsync("/v1/sources/x'or'1=1")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
