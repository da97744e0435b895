using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace EvidenceApi.Infrastructure;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            // every problem has a type: the framework's own (404 from routing, 400 from binding…) get the type of their status
            var problem = context.ProblemDetails;
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
                problem.Type = problem.Status == StatusCodes.Status400BadRequest && problem is not HttpValidationProblemDetails && !problem.Extensions.ContainsKey("errors")
                    ? ProblemKinds.BadRequest.Type
                    : ProblemKinds.TypeOf(problem.Status) ?? problem.Type;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        // Bad requests throw, so that the handler above can say what was wrong in every environment.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}

/// <summary>Turns the framework's bad-request exceptions (unbindable parameters, malformed JSON,
/// oversize bodies) into problem responses with their own status and message, never a 500.</summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>[^ ]+) (?<name>\w+)" from "(?<value>.*)"\.$""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure { get; }

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // Backstop for text PostgreSQL cannot hold (NUL, say) that slipped past validation: the client's fault, not ours.
        if (exception is Npgsql.PostgresException { SqlState: "22021" or "22P05" })
            exception = new BadHttpRequestException("The request contains characters that cannot be stored or searched (such as NUL).", exception);
        if (exception is not BadHttpRequestException bad) return false;
        // the framework's words for an absent body name its parameters ("JsonElement patch"); say it plainly
        if (bad.Message.StartsWith("Required parameter") && bad.Message.Contains("from body") || bad.Message.StartsWith("Implicit body inferred"))
            bad = new BadHttpRequestException("The request body is missing: send a JSON object.", bad.StatusCode);
        http.Response.StatusCode = bad.StatusCode;
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large." : "Bad request.",
                Detail = ProblemText.WithoutTypeNames(bad.InnerException is System.Text.Json.JsonException json
                    ? $"The JSON body is not valid: {json.Message}{(json.Path is null || json.Message.Contains(json.Path) ? "" : $" (at {json.Path})")}"
                    : bad.Message),
            },
        };

        // "Failed to bind parameter "Nullable<int> Limit" from "x"." becomes an error on `limit`.
        var bind = BindFailure.Match(bad.Message);
        if (bind.Success)
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(bind.Groups["name"].Value);
            var message = $"'{bind.Groups["value"].Value}' is not {Expected(bind.Groups["type"].Value)}.";
            context.ProblemDetails.Detail = $"The value of '{name}' is not valid: {message}";
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [name] = [message] };
        }
        return await problemDetails.TryWriteAsync(context);
    }

    private static string Expected(string type) => type switch
    {
        "int" or "Nullable<int>" or "long" or "Nullable<long>" => "a whole number",
        "bool" or "Nullable<bool>" => "true or false",
        "Guid" or "Nullable<Guid>" => "a UUID",
        _ => "a valid value",
    };
}
