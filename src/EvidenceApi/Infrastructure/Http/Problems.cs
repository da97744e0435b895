using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceApi.Infrastructure;

/// <summary>A kind of problem the API answers with: its stable `type` URI (`/problems/{slug}`, described there), status and title.</summary>
/// <param name="Slug">The last segment of the type URI.</param>
/// <param name="Status">The HTTP status it is sent with.</param>
/// <param name="Title">The title every problem of the kind carries.</param>
/// <param name="Description">When the API answers with it, and what a client should do.</param>
public sealed record ProblemKind(string Slug, int Status, string Title, string Description)
{
    public string Type => "/problems/" + Slug;
}

/// <summary>Every kind of problem the API returns; `GET /problems/{slug}` describes each.</summary>
public static class ProblemKinds
{
    public static readonly ProblemKind Invalid = new("invalid", 400, "The request is not valid.",
        "A parameter, header or body field is wrong: `errors` names each one with what is expected. Fix the request; retrying it unchanged fails again.");
    public static readonly ProblemKind BadRequest = new("bad-request", 400, "Bad request.",
        "The request cannot be read (malformed JSON, a body that is missing, text that is not valid Unicode). Fix the request.");
    public static readonly ProblemKind Unauthorized = new("unauthorized", 401, "Authentication required.",
        "The operation needs an editor key, or the key sent is not valid. Send `Authorization: Bearer {key}` with a valid key.");
    public static readonly ProblemKind Forbidden = new("forbidden", 403, "Forbidden.", "The editor's role may not do this (admins manage editors).");
    public static readonly ProblemKind NotFound = new("not-found", 404, "Not found.", "Nothing has this id or path.");
    public static readonly ProblemKind MethodNotAllowed = new("method-not-allowed", 405, "Method not allowed.",
        "The path exists but does not take this method: `Allow` lists those it takes.");
    public static readonly ProblemKind Conflict = new("conflict", 409, "Conflict.",
        "The change contradicts the resource's state (a duplicate, a retired claim, a flag already resolved): `detail` says which.");
    public static readonly ProblemKind PreconditionFailed = new("precondition-failed", 412, "The resource has changed.",
        "`If-Match` holds an ETag that is no longer current (`currentETag` is). GET the resource again, re-apply the change and send the new ETag.");
    public static readonly ProblemKind PayloadTooLarge = new("payload-too-large", 413, "Request body too large.", "The body is over the limit (1 MiB by default).");
    public static readonly ProblemKind UnsupportedMediaType = new("unsupported-media-type", 415, "Unsupported media type.",
        "Send the body as `application/json` (or `application/merge-patch+json` for PATCH).");
    public static readonly ProblemKind Unprocessable = new("unprocessable", 422, "The request cannot be processed.",
        "The request is well formed but cannot be carried out: a quote that is not the source's text, an unknown term, a grade without a citation, an idempotency key reused for another request. `detail` and `errors` say what.");
    public static readonly ProblemKind PreconditionRequired = new("precondition-required", 428, "If-Match required.",
        "A change to an existing resource needs `If-Match` with its current ETag (not `*`), so that it cannot overwrite a change you have not seen.");
    public static readonly ProblemKind TooManyRequests = new("too-many-requests", 429, "Too many requests.",
        "The client is over a rate limit or runs too many exports at once. Wait for `Retry-After` seconds.");
    public static readonly ProblemKind Internal = new("internal-error", 500, "An error occurred while processing your request.",
        "A fault of the API, not of the request: it is logged with the `traceId`. Nothing was changed; report the traceId if it persists.");
    public static readonly ProblemKind OutcomeUnknown = new("outcome-unknown", 503, "The change's outcome is unknown.",
        "The database stopped answering while the change was being committed, so it may or may not have been saved. Re-read the resource before changing it again; retry a POST with the same `Idempotency-Key`, which answers as the first attempt did if it was saved.");
    public static readonly ProblemKind Unavailable = new("unavailable", 503, "Service unavailable.",
        "The database cannot be reached, or the instance is busy. Nothing was changed; retry after `Retry-After` seconds (a POST with the same `Idempotency-Key`).");
    public static readonly ProblemKind OutOfTime = new("out-of-time", 503, "The request ran out of time.",
        "The request did not finish within its time limit (`limit` names the setting): the database is slow or busy, or the request asks for a lot of work. Retry after `Retry-After` seconds, or narrow it.");

    public static readonly IReadOnlyList<ProblemKind> All =
    [
        Invalid, BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, PreconditionFailed, PayloadTooLarge,
        UnsupportedMediaType, Unprocessable, PreconditionRequired, TooManyRequests, Internal, Unavailable, OutcomeUnknown, OutOfTime,
    ];

    /// <summary>The type of a problem of <paramref name="status"/> that names no kind of its own.</summary>
    public static string? TypeOf(int? status) => All.FirstOrDefault(k => k.Status == status)?.Type;
}

/// <summary>
/// The one set of RFC 9457 problems the API returns. They are written by the problem-details service, so each carries
/// a traceId; a problem the framework writes itself gets the type of its status (see <see cref="ProblemKinds.TypeOf"/>).
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(ProblemKind kind, string detail, string? title = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: kind.Status, title: title ?? kind.Title, type: kind.Type, extensions: extensions);

    /// <summary>400 naming each field that is wrong.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string title = "The request is not valid.", string? detail = null) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = ProblemKinds.Invalid.Status,
            Title = title,
            Type = ProblemKinds.Invalid.Type,
            Detail = detail,
        });

    /// <summary>400 about one field.</summary>
    public static ProblemHttpResult InvalidField(string field, string message, string? title = null) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = ProblemKinds.Invalid.Status,
            Title = title ?? ProblemKinds.Invalid.Title,
            Type = ProblemKinds.Invalid.Type,
            Detail = message,
        });

    public static ProblemHttpResult NotFound(string detail) => Of(ProblemKinds.NotFound, detail);

    public static ProblemHttpResult Conflict(string title, string detail) => Of(ProblemKinds.Conflict, detail, title);

    /// <summary>422 about one field.</summary>
    public static ProblemHttpResult CannotProcess(string title, string detail, string field, string message) =>
        CannotProcess(title, detail, new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>422, with the fields it is about when there are some.</summary>
    public static ProblemHttpResult CannotProcess(string title, string detail, IDictionary<string, string[]>? errors = null) =>
        Of(ProblemKinds.Unprocessable, detail, title, errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });
}

public static class ProblemResponses
{
    /// <summary>
    /// Writes a problem from middleware or a handler of the framework (no endpoint result to return), with `Retry-After`
    /// when the client should come back: the same shape, type and traceId as every other problem.
    /// </summary>
    public static async Task<bool> WriteAsync(HttpContext http, ProblemKind kind, string detail, string? title = null,
        int? retryAfterSeconds = null, IDictionary<string, object?>? extensions = null, Exception? exception = null)
    {
        http.Response.StatusCode = kind.Status;
        if (retryAfterSeconds is { } seconds) http.Response.Headers.RetryAfter = seconds.ToString();
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = kind.Status, Type = kind.Type, Title = title ?? kind.Title, Detail = detail },
        };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) context.ProblemDetails.Extensions[name] = value;
        return await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(context);
    }
}
