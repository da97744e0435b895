using System.Text.Json;
using EvidenceApi.Claims;

namespace EvidenceApi.UnitTests.Claims;

public sealed class MergePatchTests
{
    private static readonly ClaimEdit Current = new("quote", new TextPosition(10, 15), "Intro", ["chronic-pain"], ["cbd"], [AdministrationRoute.Oral],
        "adults", "placebo", "reduces pain", "pain", Direction.Benefit, ClaimedStrength.Suggested, EvidenceLevel.Unassessed);

    private static ClaimEdit Merge(string patch) => PatchClaim.Merge(Current, JsonDocument.Parse(patch).RootElement);

    [Fact]
    public void Only_the_members_given_change()
    {
        var merged = Merge("""{"effect":"eases pain","routes":[]}""");
        Assert.Equal("eases pain", merged.Effect);
        Assert.Empty(merged.Routes);
        Assert.True((Current with { Effect = "eases pain", Routes = [] }).SameAs(merged));
    }

    [Fact]
    public void Nested_objects_merge_member_by_member_as_rfc_7396_says() =>
        Assert.Equal(new TextPosition(12, 15), Merge("""{"position":{"start":12}}""").Position);

    [Fact]
    public void Null_clears_a_nullable_field_and_is_refused_for_one_that_is_required()
    {
        Assert.Null(Merge("""{"comparator":null}""").Comparator);
        Assert.ThrowsAny<JsonException>(() => Merge("""{"effect":null}"""));
    }

    [Fact]
    public void Enum_values_are_exact() => Assert.ThrowsAny<JsonException>(() => Merge("""{"direction":"Benefit"}"""));
}
