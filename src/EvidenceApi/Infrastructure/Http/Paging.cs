using System.Text;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace EvidenceApi.Infrastructure;

/// <summary>A page of a list. Every paged list answers with this shape.</summary>
/// <param name="Items">The items of this page.</param>
/// <param name="NextCursor">Pass as `cursor` for the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>`limit` and `cursor` of a list that has no other parameters.</summary>
public sealed record PageQuery
{
    /// <summary>Page size, 1–200 (default 100).</summary>
    /// <example>100</example>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>Opaque cursor from `nextCursor` of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    public const int DefaultLimit = 100;
    public int PageSize => Limit ?? DefaultLimit;

    /// <summary>The key the page starts after (null for the first page); false when the cursor is not one issued for <paramref name="order"/>.</summary>
    public bool TryAfter(string order, int length, Func<JsonElement[], bool> valid, out JsonElement[]? key)
    {
        key = null;
        if (Cursor is null) return true;
        if (!PageCursor.TryDecode(Cursor, order, length, out var decoded, out _, valid)) return false;
        key = decoded;
        return true;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadCursor() =>
        Problems.InvalidField("cursor", "The cursor is not one this API issued for this list; start again without it.");
}

public sealed class PageQueryValidator : AbstractValidator<PageQuery>
{
    public PageQueryValidator() => RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit);
}

public static class Paging
{
    public const int MaxLimit = 200;

    /// <summary>A page of a short list held in memory, ordered by a text key (ordinal, so the order never depends on a collation).</summary>
    public static Page<T>? Slice<T>(IEnumerable<T> items, PageQuery query, string order, Func<T, string> key)
    {
        if (!query.TryAfter(order, 1, k => PageCursor.IsText(k[0]), out var cursor)) return null;
        var after = cursor?[0].GetString();
        var rows = items.OrderBy(key, StringComparer.Ordinal)
            .Where(i => after is null || string.CompareOrdinal(key(i), after) > 0)
            .Take(query.PageSize + 1).ToList();
        return Of(rows, query.PageSize, i => i, order, i => [key(i)]);
    }

    /// <summary>The page of <paramref name="rows"/> (read with one row more than <paramref name="limit"/>) and the cursor after it.</summary>
    public static Page<TItem> Of<TRow, TItem>(IReadOnlyList<TRow> rows, int limit, Func<TRow, TItem> item, string order, Func<TRow, object?[]> key) =>
        new(rows.Take(limit).Select(item).ToList(), rows.Count > limit ? PageCursor.Encode(order, key(rows[limit - 1])) : null);
}

/// <summary>
/// The one opaque cursor of every list: the order the list was read in and the key of the last item of the page,
/// as base64url JSON. The next page starts strictly after that key, so paging never skips or repeats an item whose
/// key does not change in between.
/// </summary>
public static class PageCursor
{
    private sealed record Wire(string O, JsonElement[] K);

    public static string Encode(string order, params object?[] key) =>
        WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new { o = order, k = key }));

    /// <summary>The key of a cursor issued for <paramref name="order"/>, with <paramref name="length"/> parts that
    /// <paramref name="valid"/> accepts.</summary>
    public static bool TryDecode(string text, string order, int length, out JsonElement[] key, out string error,
        Func<JsonElement[], bool>? valid = null)
    {
        key = [];
        error = "The cursor is not one this API issued; start again without it.";
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(WebEncoders.Base64UrlDecode(text), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            if (wire?.O is null || wire.K is null || wire.K.Length != length) return false;
            // every text in the key must be readable (a forged "\ud800" is not), before anyone reads it
            foreach (var part in wire.K.Where(k => k.ValueKind == JsonValueKind.String)) part.GetString();
            if (wire.O == order && valid is not null && !valid(wire.K)) return false;
            if (wire.O != order)
            {
                error = $"The cursor was issued for the order '{wire.O}', not '{order}'.";
                return false;
            }
            key = wire.K;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or DecoderFallbackException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The cursor rule for a validator: a cursor, when given, must be one issued for <paramref name="order"/>.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> MustBeCursorOf<T>(this IRuleBuilder<T, string?> rule, string order, int length,
        Func<JsonElement[], bool>? valid = null) =>
        rule.Custom((cursor, context) =>
        {
            if (cursor is not null && !TryDecode(cursor, order, length, out _, out var error, valid)) context.AddFailure(error);
        });

    public static bool IsUuid(JsonElement key) => key.ValueKind == JsonValueKind.String && key.TryGetGuid(out _);
    public static bool IsInteger(JsonElement key) => key.ValueKind == JsonValueKind.Number && key.TryGetInt32(out _);
    public static bool IsText(JsonElement key) => key.ValueKind == JsonValueKind.String;
    public static bool IsTime(JsonElement key) => key.ValueKind == JsonValueKind.String && key.TryGetDateTime(out _);
}
