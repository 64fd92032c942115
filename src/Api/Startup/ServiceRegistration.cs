using Microsoft.AspNetCore.Http.Features;
using Rag.Api.Jobs;
using Rag.Api.OpenAi;
using Rag.Api.Mcp;
using Rag.Hosting;

namespace Rag.Api.Startup;

/// <summary>The service's registrations by role: the core every role needs, and the HTTP API on top.</summary>
internal static class ServiceRegistration
{
    /// <summary>
    /// What every role needs: the engine over the configured stores and the ingestion job queue —
    /// with a job server and start-up recovery where <paramref name="role"/> runs jobs.
    /// </summary>
    public static IHostApplicationBuilder AddRagCore(this IHostApplicationBuilder builder, ServiceRole role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddRag(configuration);
        services.AddRagTelemetry(configuration);
        // Logs: one readable line per event in a terminal, JSON lines when the output goes elsewhere
        // (containers, files, pipes), unless Logging:Console:FormatterName chooses.
        if (string.IsNullOrWhiteSpace(configuration["Logging:Console:FormatterName"]))
        {
            services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o =>
                o.FormatterName = Console.IsOutputRedirected ? Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Json : Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Simple);
        }

        // A relative data folder is relative to the content root: the project folder under
        // `dotnet run`, the application folder when published.
        var contentRoot = builder.Environment.ContentRootPath;
        services.PostConfigure<RagOptions>(o =>
        {
            o.DataPath = Path.GetFullPath(o.DataPath, contentRoot);
            if (!string.IsNullOrWhiteSpace(o.Models.Decoder.Path))
                o.Models.Decoder.Path = Path.GetFullPath(o.Models.Decoder.Path, contentRoot);
            if (!string.IsNullOrWhiteSpace(o.Models.Embedder.Path))
                o.Models.Embedder.Path = Path.GetFullPath(o.Models.Embedder.Path, contentRoot);
            if (!string.IsNullOrWhiteSpace(o.Models.Scorer.Path))
                o.Models.Scorer.Path = Path.GetFullPath(o.Models.Scorer.Path, contentRoot);
            if (!string.IsNullOrWhiteSpace(o.Models.BuiltInPath))
                o.Models.BuiltInPath = Path.GetFullPath(o.Models.BuiltInPath, contentRoot);
        });

        var ingestion = configuration.GetSection($"{RagOptions.Section}:Ingestion").Get<IngestionOptions>() ?? new IngestionOptions();
        var storage = RagServices.ReadStorage(configuration);
        if (role != ServiceRole.All && storage.Documents != DocumentStorage.Postgres)
            throw new InvalidOperationException(
                $"--role {role.ToString().ToLowerInvariant()} needs Rag:Storage:Documents = Postgres: with embedded storage the job queue lives in one process's memory, so that process must both serve and run jobs.");
        // SIGTERM: stop taking work, give running work the grace period, then cancel it (ingestion is
        // resumed at the next start) and exit 0.
        var grace = configuration.GetValue<TimeSpan?>($"{RagOptions.Section}:ShutdownTimeout") ?? new RagOptions().ShutdownTimeout;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = grace);
        services.AddIngestionJobs(ingestion, storage, role.RunsJobs(), grace);
        return builder;
    }

    public static WebApplicationBuilder AddRagApi(this WebApplicationBuilder builder, ServiceRole role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        builder.AddRagCore(role);
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(configuration, AuthOptions.Section);
        services.AddSingleton<ApiKeyAuthenticator>();

        // First, so it wins on the OpenAI-compatible paths; problem details everywhere else.
        services.AddSingleton<IProblemDetailsWriter, OpenAiProblemWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Answers made by the framework itself (routing, content negotiation) get a detail too.
            var problem = context.ProblemDetails;
            problem.Detail ??= problem.Status switch
            {
                StatusCodes.Status404NotFound => "No endpoint answers this path; the OpenAPI document is at /openapi/v1.json.",
                StatusCodes.Status405MethodNotAllowed => "This path does not accept this HTTP method.",
                StatusCodes.Status415UnsupportedMediaType => "This endpoint accepts application/json (and, for uploads, multipart/form-data).",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures (malformed JSON, wrong types) reach the exception handler in every
        // environment, so they get the same problem details as the rest.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi(o => o.AddOperationTransformer<UploadFormTransformer>().AddOperationTransformer<OperationExamples>().AddSchemaTransformer<CompressionMethodSchema>());
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        services.AddRagMcp();
        services.AddValidatedOptions<OpenAiOptions, OpenAiOptionsValidator>(configuration, OpenAiOptions.Section);
        services.AddSingleton(sp => new Rag.Extensions.AI.ChatCompressionMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var upstreamTimeout = configuration.GetSection(OpenAiOptions.Section).Get<OpenAiOptions>()?.UpstreamTimeout ?? TimeSpan.FromMinutes(5);
        services.AddHttpClient(ChatCompletionsApi.UpstreamClient, client => client.Timeout = upstreamTimeout);

        var ingestion = configuration.GetSection($"{RagOptions.Section}:Ingestion").Get<IngestionOptions>() ?? new IngestionOptions();
        var limits = configuration.GetSection($"{RagOptions.Section}:Limits").Get<LimitsOptions>() ?? new LimitsOptions();
        // The largest any endpoint takes; RequestBodyGuard narrows it per endpoint.
        var bodyLimit = Math.Max(ingestion.MaxUploadBytes + UploadEndpoint.MultipartAllowance, limits.MaxRequestBytes);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = bodyLimit);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = bodyLimit);

        var authEnabled = (configuration.GetSection($"{AuthOptions.Section}:ApiKeys").GetChildren().Any());
        if (!authEnabled && configuration.GetSection("Kestrel:Endpoints").Exists())
            throw new InvalidOperationException(
                "Kestrel:Endpoints is configured but Auth:ApiKeys is empty. Without API keys Rag listens on loopback only: use 'Urls', or configure API keys.");
        builder.WebHost.UseUrls(LoopbackBinding.Resolve(configuration["urls"], authEnabled));
        return builder;
    }
}
