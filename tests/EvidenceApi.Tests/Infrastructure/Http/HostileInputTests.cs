using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EvidenceApi.Editors;
using EvidenceApi.Tests.Infrastructure;
using EvidenceApi.Tests.Infrastructure.OpenApi;

namespace EvidenceApi.Tests.Infrastructure.Http;

/// <summary>
/// Walks every operation of the committed OpenAPI document and sends each parameter and body field wrong values.
/// Every answer must be a documented 4xx problem (or, for a read given odd but legal text, a normal answer),
/// never a 5xx, and the database must be exactly as it was.
/// </summary>
public sealed class HostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] HostileValues =
    [
        "", " ", "null", "-1", "0", "99999999999999999999999999", "1e309", "NaN", "not-a-uuid", "00000000-0000-0000-0000-000000000000",
        "'; drop table claims; --", "\" or 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "a\u0001b", "\u0000", "[]", "{}",
        "true", "%", "\u202e\u2066", "😀", new string('x', 64 * 1024),
    ];

    private async Task<string> DatabaseFingerprintAsync()
    {
        await using var db = api.DataSource();
        await using var command = db.CreateCommand("""
            select concat_ws(',', (select count(*) from claims), (select sum(version) from claims), (select count(*) from citations),
                   (select count(*) from citations where removed_at is not null), (select count(*) from flags),
                   (select count(*) from flags where resolution is not null), (select count(*) from claim_revisions),
                   (select count(*) from editors), (select count(*) from editors where revoked_at is not null),
                   (select count(*) from sources), (select count(*) from idempotency_keys))
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(HttpClient Admin, Dictionary<string, string> Ids, string ETag)> SetUpAsync()
    {
        var admin = await api.EditorClientAsync(EditorRole.Admin);
        var (claim, _) = await api.CreateClaimAsync(admin);
        var id = claim.GetProperty("id").GetGuid();
        var cited = await admin.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/citations",
            new { kind = "pmid", identifier = "4242", title = "t", year = 2020, stance = "supports" }, "\"1\"");
        var citation = await cited.JsonAsync(HttpStatusCode.Created);
        var flagged = await admin.SendJsonAsync(HttpMethod.Post, $"/v1/claims/{id}/flags", new { reason = "outdated" }, "\"2\"");
        var flag = await flagged.JsonAsync(HttpStatusCode.Created);
        var editor = await api.CreateEditorAsync();
        var ids = new Dictionary<string, string>
        {
            ["id"] = id.ToString(),
            ["citationId"] = citation.GetProperty("id").GetString()!,
            ["flag"] = flag.GetProperty("id").GetString()!,
            ["editor"] = editor.Editor.Id.ToString(),
        };
        return (admin, ids, "\"3\"");
    }

    private static Dictionary<string, string> PathValues(OpenApiOperation op, Dictionary<string, string> ids) => new()
    {
        ["id"] = op.Path.StartsWith("/v1/flags") ? ids["flag"] : op.Path.StartsWith("/v1/editors") ? ids["editor"] : ids["id"],
        ["citationId"] = ids["citationId"],
    };

    private static async Task AssertAcceptableAsync(OpenApiOperation op, HttpResponseMessage response, string what, bool pathChanged = false)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{op.Method} {op.Path} with {what}: {status} {body}");
        if (op.Method != "GET") Assert.True(status >= 400, $"{op.Method} {op.Path} with {what} was accepted: {status}");
        if (status >= 400)
        {
            // a path value such as "" or "../x" names another route, where 404 or 405 is the routing's answer
            var routing = pathChanged && status is 404 or 405;
            Assert.True(routing || op.DocumentedStatuses.Contains(status), $"{op.Method} {op.Path} with {what}: {status} is not documented");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Hostile_parameters_never_get_a_5xx_or_an_undocumented_answer_and_change_nothing()
    {
        var (admin, ids, etag) = await SetUpAsync();
        var before = await DatabaseFingerprintAsync();

        foreach (var op in OpenApiOperation.All())
            foreach (var parameter in op.Parameters)
            {
                var name = parameter["name"]!.GetValue<string>();
                var location = parameter["in"]!.GetValue<string>();
                // a hostile but well-formed Idempotency-Key is a legal key: it would let a valid write through
                if (name == "Idempotency-Key") continue;
                foreach (var value in HostileValues)
                {
                    // the in-process test server cannot carry a NUL in a path (Kestrel answers such a request 400 itself)
                    if (location == "path" && value.Contains('\0')) continue;
                    var path = PathValues(op, ids);
                    var query = "";
                    if (location == "path") path[name] = value;
                    if (location == "query") query = $"?{name}={Uri.EscapeDataString(value)}";
                    var request = new HttpRequestMessage(new HttpMethod(op.Method), op.Url(path) + query);
                    if (op.BodyExample is { } example)
                        request.Content = new StringContent(Invalidate(example), Encoding.UTF8, "application/json");
                    request.Headers.TryAddWithoutValidation("If-Match", location == "header" && name == "If-Match" ? value : etag);
                    var client = op.IsWrite ? admin : api.Client;
                    var response = await client.SendAsync(request);
                    await AssertAcceptableAsync(op, response, $"{location} {name}={Shorten(value)}", pathChanged: location == "path");
                }
            }
        Assert.Equal(before, await DatabaseFingerprintAsync());
    }

    [Fact]
    public async Task Hostile_bodies_are_refused_with_documented_4xx_problems_and_change_nothing()
    {
        var (admin, ids, etag) = await SetUpAsync();
        var before = await DatabaseFingerprintAsync();

        foreach (var op in OpenApiOperation.All().Where(o => o.BodyExample is not null))
        {
            var url = op.Url(PathValues(op, ids));
            // every media type the operation accepts (a merge patch as well as JSON) gets the same hostile bodies
            foreach (var mediaType in op.BodyContentTypes)
                foreach (var (what, body, contentType) in HostileBodies(op.BodyExample!.AsObject(), mediaType))
                {
                    var expected = what switch
                    {
                        "an oversize body" => HttpStatusCode.RequestEntityTooLarge,
                        "no content type" or "text/plain" or "form data" => HttpStatusCode.UnsupportedMediaType,
                        "invalid UTF-8" or "a lone surrogate escape" => HttpStatusCode.BadRequest,
                        _ => (HttpStatusCode?)null,
                    };
                    var request = new HttpRequestMessage(new HttpMethod(op.Method), url);
                    // Latin-1 turns the marker character into the single byte 0xFF, which is never valid UTF-8
                    request.Content = what == "invalid UTF-8" ? new ByteArrayContent(Encoding.Latin1.GetBytes(body)) : new StringContent(body, Encoding.UTF8);
                    request.Content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                    request.Headers.TryAddWithoutValidation("If-Match", etag);
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
                    var response = await admin.SendAsync(request);
                    await AssertAcceptableAsync(op, response, $"{what} as {mediaType}");
                    if (expected is not null) Assert.True(expected == response.StatusCode, $"{op.Method} {op.Path} with {what} as {mediaType}: {(int)response.StatusCode}");
                }
        }
        Assert.Equal(before, await DatabaseFingerprintAsync());
    }

    private static IEnumerable<(string What, string Body, string? ContentType)> HostileBodies(JsonObject example, string json)
    {
        yield return ("an empty body", "", json);
        yield return ("null", "null", json);
        yield return ("an array", "[]", json);
        yield return ("truncated JSON", example.ToJsonString()[..^2], json);
        yield return ("no content type", example.ToJsonString(), null);
        yield return ("text/plain", example.ToJsonString(), "text/plain");
        yield return ("form data", "a=1&b=2", "application/x-www-form-urlencoded");
        yield return ("an unknown property", With(example, "zzUnknown", 1), json);
        var first = example.First();
        yield return ("a duplicate key", "{" + $"\"{first.Key}\":{first.Value?.ToJsonString() ?? "null"}," + example.ToJsonString()[1..], json);
        yield return ("an oversize body", With(example, first.Key, new string('x', 9_000_000)), json);
        var textField = example.First(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)).Key;
        yield return ("invalid UTF-8", With(example, textField, "caf__marker__").Replace("__marker__", "\u00ff"), json);
        yield return ("a lone surrogate escape", With(example, textField, "caf__marker__").Replace("__marker__", "\\uD800"), json);
        yield return ("an invalid unicode escape", example.ToJsonString().Replace("\"" + first.Key + "\":", "\"" + first.Key + "\":\"\\uZZZZ\",\"x\":"), json);

        foreach (var (field, value) in example)
        {
            JsonNode wrongType = value switch
            {
                JsonValue v when v.TryGetValue<string>(out _) => 12345,
                JsonValue => "not a number",
                JsonArray => new JsonObject(),
                _ => new JsonArray(),
            };
            yield return ($"{field} of the wrong type", With(example, field, wrongType), json);
            yield return ($"{field} with a control character", With(example, field, "a\u0007b"), json);
            yield return ($"{field} with a lone surrogate escape", example.ToJsonString().Replace($"\"{field}\":", $"\"{field}\":\"\\uD800\",\"zz\":"), json);
            if (value is JsonValue number && number.TryGetValue<int>(out _))
            {
                yield return ($"{field} negative", With(example, field, -1), json);
                yield return ($"{field} overflowing", With(example, field, JsonNode.Parse("99999999999999999999")), json);
            }
            if (value is JsonValue text && text.TryGetValue<string>(out var s) && Guid.TryParse(s, out _))
                yield return ($"{field} a malformed UUID", With(example, field, "0000-not-a-uuid"), json);
        }
    }

    /// <summary>The example body with a property no request type has, so that no hostile parameter test can succeed.</summary>
    private static string Invalidate(JsonNode example) => With(example.AsObject(), "zzUnknown", true);

    private static string With(JsonObject example, string field, JsonNode? value)
    {
        var copy = example.DeepClone().AsObject();
        copy[field] = value;
        return copy.ToJsonString();
    }

    private static string Shorten(string value) => System.Text.Json.JsonSerializer.Serialize(value.Length > 40 ? value[..40] + "…" : value);
}
