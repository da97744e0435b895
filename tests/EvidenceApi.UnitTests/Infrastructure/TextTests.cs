using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.UnitTests.Infrastructure;

public sealed class TextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+cmd", "\"'+cmd\"")]
    [InlineData("-2", "\"'-2\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("", "")]
    public void Csv_fields_are_quoted_as_rfc_4180_says_and_formulas_open_as_text(string field, string written) =>
        Assert.Equal(written, Csv.Escape(field));

    [Fact]
    public void Problem_messages_name_what_is_expected_not_dotnet_types()
    {
        Assert.Equal("The JSON value could not be converted to one of the allowed values. Path: $.population",
            ProblemText.WithoutTypeNames("The JSON value could not be converted to EvidenceApi.Claims.Direction. Path: $.population"));
        Assert.Equal("The JSON value could not be converted to a list.",
            ProblemText.WithoutTypeNames("The JSON value could not be converted to System.Collections.Generic.IReadOnlyList`1[System.String]."));
        Assert.Equal("Required properties are missing: 'title', 'year'.",
            ProblemText.WithoutTypeNames("JSON deserialization for type 'EvidenceApi.Citations.AddCitationRequest' was missing required properties including: 'title', 'year'."));
        Assert.Equal("Bad value.", ProblemText.WithoutPositions("Bad value. LineNumber: 0 | BytePositionInLine: 372."));
        Assert.Equal("'position' may not be null. Path: $.position", ProblemText.WithoutTypeNames(
            "The constructor parameter 'Position' on type 'EvidenceApi.Claims.ClaimEdit' doesn't allow null values. Consider updating its nullability annotation. Path: $.position"));
        Assert.Equal("'k0' is not a field here.", ProblemText.WithoutTypeNames(
            "The JSON property 'k0' could not be mapped to any .NET member contained in type 'EvidenceApi.Claims.TextPosition'."));
    }

    [Fact]
    public void Times_are_written_in_one_form()
    {
        Assert.Equal("2026-11-28T01:02:03.123456Z", Timestamps.Of(new DateTime(2026, 11, 28, 1, 2, 3, DateTimeKind.Utc).AddTicks(1234567)));
        Assert.Equal("2026-11-28T01:02:03.000000Z", Timestamps.Of(new DateTime(2026, 11, 28, 1, 2, 3, DateTimeKind.Utc)));
    }
}
