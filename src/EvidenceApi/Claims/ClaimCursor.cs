using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace EvidenceApi.Claims;

/// <summary>
/// An opaque keyset cursor: the sort it was issued for and the sort value and id of the last claim
/// of the page. The next page starts strictly after that pair, so paging never skips or repeats a row
/// whose sort value does not change in between.
/// </summary>
public sealed record ClaimCursor(string Sort, object Value, Guid Id)
{
    private sealed record Wire(string S, JsonElement V, Guid I);

    public string Encode() => WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new { s = Sort, v = Value, i = Id }));

    public static bool TryDecode(string text, ClaimSort sort, out ClaimCursor cursor, out string error)
    {
        cursor = null!;
        error = "The cursor is not one this API issued; start again without it.";
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(WebEncoders.Base64UrlDecode(text), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            if (wire is null) return false;
            if (wire.S != sort.Name)
            {
                error = $"The cursor was issued for sort '{wire.S}', not '{sort.Name}'.";
                return false;
            }
            object? value = sort.Kind switch
            {
                SortValueKind.Time when wire.V.ValueKind == JsonValueKind.String && wire.V.TryGetDateTime(out var t) => DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc),
                SortValueKind.Integer when wire.V.ValueKind == JsonValueKind.Number && wire.V.TryGetInt32(out var n) => n,
                SortValueKind.Real when wire.V.ValueKind == JsonValueKind.Number && wire.V.TryGetSingle(out var r) => r,
                _ => null,
            };
            if (value is null || wire.I == Guid.Empty) return false;
            cursor = new ClaimCursor(wire.S, value, wire.I);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or DecoderFallbackException)
        {
            return false;
        }
    }
}
