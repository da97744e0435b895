using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// A query parameter an operation does not take is 400 naming it and listing those it takes: a misspelt filter
/// (`?conditon=…`) must not silently return everything. The names come from the handler's `[FromQuery]` parameters,
/// directly or inside an `[AsParameters]` record, found once per endpoint.
/// </summary>
public static class QueryParameters
{
    private static readonly ConcurrentDictionary<MethodInfo, HashSet<string>> Known = new();

    public static IApplicationBuilder UseKnownQueryParametersOnly(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Query.Count > 0 && http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler)
        {
            var known = Known.GetOrAdd(handler, NamesOf);
            // at most 10 named, so that a long query cannot make a much longer answer
            var unknown = http.Request.Query.Keys.Where(k => !known.Contains(k)).Take(10).ToList();
            if (unknown.Count > 0)
            {
                var allowed = known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal));
                await Problems.Validation(unknown.ToDictionary(k => k[..Math.Min(k.Length, 100)], k => new[] { "Not a parameter of this operation." }),
                    "Unknown query parameter.",
                    $"Unknown query parameter: {string.Join(", ", unknown.Select(k => k[..Math.Min(k.Length, 100)]))}. It takes: {allowed}.").ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });

    private static HashSet<string> NamesOf(MethodInfo handler)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } query) names.Add(query.Name ?? parameter.Name!);
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
                foreach (var property in parameter.ParameterType.GetProperties())
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } member) names.Add(member.Name ?? property.Name);
        }
        return names;
    }
}
