using System.Text.Json;
using EvidenceApi.Infrastructure;

namespace EvidenceApi.Claims;

/// <summary>
/// A claim list's cursor: a <see cref="PageCursor"/> whose order is the sort and whose key is the sort value and id of
/// the last claim of the page.
/// </summary>
public sealed record ClaimCursor(string Sort, object Value, Guid Id)
{
    public string Encode() => PageCursor.Encode(Sort, Value, Id);

    public static bool TryDecode(string text, ClaimSort sort, out ClaimCursor cursor, out string error)
    {
        cursor = null!;
        if (!PageCursor.TryDecode(text, sort.Name, 2, out var key, out error)) return false;
        object? value = sort.Kind switch
        {
            SortValueKind.Time when key[0].ValueKind == JsonValueKind.String && key[0].TryGetDateTime(out var t) => DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc),
            SortValueKind.Integer when key[0].ValueKind == JsonValueKind.Number && key[0].TryGetInt32(out var n) => n,
            SortValueKind.Real when key[0].ValueKind == JsonValueKind.Number && key[0].TryGetSingle(out var r) => r,
            _ => null,
        };
        if (value is null || key[1].ValueKind != JsonValueKind.String || !key[1].TryGetGuid(out var id) || id == Guid.Empty)
        {
            error = "The cursor is not one this API issued; start again without it.";
            return false;
        }
        cursor = new ClaimCursor(sort.Name, value, id);
        return true;
    }
}
