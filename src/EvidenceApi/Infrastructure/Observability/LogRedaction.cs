using System.Text.RegularExpressions;
using Microsoft.AspNetCore.HttpLogging;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// Keeps keys out of the request log wherever a client puts them: an editor key (`evk_…`) anywhere in the path or
/// query, and the value of any query parameter named like a secret (`access_token`, `key`, `password`…).
/// The Authorization header is never logged at all (see <see cref="Observability"/>).
/// </summary>
public sealed partial class LogRedaction : IHttpLoggingInterceptor
{
    public const string Redacted = "[Redacted]";

    [GeneratedRegex(@"evk_[^&/?#\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex EditorKey { get; }

    [GeneratedRegex(@"(?<name>(?:^|[?&])[^=&]*(?:token|key|secret|pass|pwd|auth|bearer|credential|sig)[^=&]*=)[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter { get; }

    /// <summary>Redacts the text as sent and as it reads once decoded (`%65vk_…` is `evk_…` too).</summary>
    public static string Redact(string text)
    {
        string decoded;
        try { decoded = Uri.UnescapeDataString(text.Replace('+', ' ')); } catch (UriFormatException) { decoded = text; }
        return EditorKey.Replace(SecretParameter.Replace(decoded, "${name}" + Redacted), Redacted);
    }

    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
    {
        var request = logContext.HttpContext.Request;
        if (logContext.TryDisable(HttpLoggingFields.RequestQuery) && request.QueryString.HasValue)
            logContext.AddParameter("QueryString", Redact(request.QueryString.Value!));
        if (logContext.TryDisable(HttpLoggingFields.RequestPath))
            logContext.AddParameter("Path", Redact(request.PathBase + request.Path));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;
}

/// <summary>
/// Redacts the log scopes the host opens for each request (its `RequestPath` holds the raw path, key and all):
/// every logger provider of the app reads its scopes through <see cref="RedactingScopes"/>.
/// </summary>
public sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public static void Decorate(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType is not null).ToList())
        {
            services.Remove(descriptor);
            services.AddSingleton<ILoggerProvider>(sp =>
                new RedactingLoggerProvider((ILoggerProvider)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!)));
        }
    }

    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) =>
        (inner as ISupportExternalScope)?.SetScopeProvider(new RedactingScopes(scopeProvider));

    public void Dispose() => inner.Dispose();

    private sealed class RedactingScopes(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(Redact(scope), s), state);

        public IDisposable Push(object? state) => inner.Push(state);

        private static object? Redact(object? scope)
        {
            if (scope is string text) return LogRedaction.Redact(text);
            if (scope is not IReadOnlyList<KeyValuePair<string, object?>> pairs) return scope;
            var original = scope.ToString() ?? "";
            var redacted = LogRedaction.Redact(original);
            return redacted == original ? scope : new RedactedScope(pairs.Select(p => new KeyValuePair<string, object?>(p.Key,
                p.Value is string value ? LogRedaction.Redact(value) : p.Value)).ToList(), redacted);
        }
    }

    private sealed class RedactedScope(List<KeyValuePair<string, object?>> pairs, string text) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => pairs[index];
        public int Count => pairs.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => pairs.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => text;
    }
}
