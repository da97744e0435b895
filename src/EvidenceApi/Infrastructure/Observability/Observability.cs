using Microsoft.AspNetCore.HttpLogging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EvidenceApi.Infrastructure;

/// <summary>
/// JSON logs that carry the trace id problem responses show; one log line per request without secrets
/// (the Authorization header and anything that looks like a key in the path or query are redacted); OpenTelemetry traces and metrics for HTTP and Npgsql, exported over
/// OTLP only when `OTEL_EXPORTER_OTLP_ENDPOINT` is configured.
/// </summary>
public static class Observability
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery
                                    | HttpLoggingFields.RequestHeaders | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            // only these header values are written; any other (Authorization above all) is logged as [Redacted]
            options.RequestHeaders.Clear();
            options.RequestHeaders.UnionWith(["User-Agent", "If-Match", "If-None-Match", "Idempotency-Key", "Content-Type", "Content-Length"]);
            options.CombineLogs = true;
        });
        builder.Services.AddHttpLoggingInterceptor<LogRedaction>();
        RedactingLoggerProvider.Decorate(builder.Services);

        // Traces and metrics cost CPU on every request: collect them only when something will receive them.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("EvidenceApi"))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter("Npgsql"))
            .UseOtlpExporter();
        return builder;
    }
}
