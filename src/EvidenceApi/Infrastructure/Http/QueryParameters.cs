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
            var unknown = http.Request.Query.Keys.Where(k => !known.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                var allowed = known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal));
                await Problems.Validation(unknown.ToDictionary(k => k, k => new[] { $"'{k}' is not a parameter of this operation. It takes: {allowed}." }),
                    $"Unknown query parameter{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown)}.").ExecuteAsync(http);
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
