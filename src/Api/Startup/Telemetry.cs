using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rag.Engine.Diagnostics;
using Rag.Extensions.AI;

namespace Rag.Api.Startup;

/// <summary>OpenTelemetry: the service's meters, ASP.NET Core, HttpClient and the runtime; Prometheus at /metrics; OTLP when configured.</summary>
internal static class Telemetry
{
    /// <summary>
    /// Metrics from Rag's meters (ingestion, search, answers, compression, admission, chat compression) with ASP.NET
    /// Core's, HttpClient's (the OpenAI upstream, Qdrant) and the runtime's, scraped at <c>/metrics</c>; traces of
    /// requests, outgoing HTTP calls, PostgreSQL commands and the pipeline's own steps (<see cref="Rag.Contracts.RagTracing"/>). Both go to an OTLP collector too when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IServiceCollection AddRagTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("rag"))
            .WithMetrics(metrics => metrics
                .AddMeter(RagMetrics.MeterName, ChatCompressionMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        // Traces only where something receives them: without a collector every request would record spans for nobody.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Rag.Contracts.RagTracing.SourceName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
