using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Http.Features;
using Scalar.AspNetCore;
using Rag.Hosting;
using Rag.Api.Jobs;
using Rag.Api.OpenAi;
using Rag.Engine.Ingestion;
using Rag.Storage.Postgres;
using Rag.Storage.Qdrant;
using Rag.Engine;
using Rag.Api.Apis;
using Rag.Api.Mcp;

namespace Rag.Api.Hosting;

/// <summary>The service's registrations and pipeline, kept out of Program.cs.</summary>
internal static class Extensions
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

    /// <summary>
    /// Hangfire — in memory with embedded storage, on PostgreSQL in the server deployment — queuing
    /// <see cref="IngestionJob"/> with retries and the failure filter; with <paramref name="runJobs"/>, a job
    /// server and the start-up recovery too.
    /// </summary>
    internal static IServiceCollection AddIngestionJobs(this IServiceCollection services, IngestionOptions ingestion, StorageOptions storage, bool runJobs, TimeSpan grace)
    {
        services.AddSingleton<IIngestionQueue, HangfireIngestionQueue>();
        services.AddSingleton<IngestionFailureFilter>();
        services.AddTransient<IngestionJob>();
        services.AddHangfire((provider, hangfire) =>
        {
            hangfire
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseFilter(provider.GetRequiredService<IngestionFailureFilter>());
            if (storage.Documents == DocumentStorage.Postgres)
            {
                var postgres = provider.GetRequiredService<IOptions<PostgresOptions>>();
                // Jobs survive restarts and are shared by every worker. A job whose worker died becomes
                // visible again after the invisibility timeout (live workers keep pushing it back).
                hangfire.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(postgres.Value.ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = "hangfire",
                        PrepareSchemaIfNecessary = true,
                        // Plain polling, once a second: with long polling (LISTEN/NOTIFY) a worker process was
                        // seen leaving hundreds of enqueued jobs unfetched once uploads stopped (bench: 2,600 single
                        // uploads, 8 at a time); polling costs one indexed query a second per worker.
                        EnableLongPolling = false,
                        QueuePollInterval = TimeSpan.FromSeconds(1),
                        InvisibilityTimeout = postgres.Value.JobInvisibilityTimeout,
                        UseSlidingInvisibilityTimeout = true,
                    });
            }
            else
            {
                // In-memory job storage: queued jobs do not survive a restart, the documents do;
                // IngestionRecovery queues unfinished documents again at start.
                hangfire.UseInMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long });
            }

            GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
            hangfire.UseFilter(new AutomaticRetryAttribute
            {
                Attempts = ingestion.MaxAttempts - 1,
                DelaysInSeconds = [2, 10, 30, 60, 120],
                OnAttemptsExceeded = AttemptsExceededAction.Fail,
            });
        });
        if (!runJobs)
            return services;
        services.AddRagBackgroundWork();
        // Every worker takes small documents first; one more worker takes only small ones, so a small
        // document never waits behind large ones (HangfireIngestionQueue picks the lane).
        services.AddHangfireServer(o =>
        {
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:all";
            o.Queues = [HangfireIngestionQueue.Small, HangfireIngestionQueue.Large, "default"];
            o.WorkerCount = ingestion.Workers;
            o.StopTimeout = grace;
            o.ShutdownTimeout = grace;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        services.AddHangfireServer(o =>
        {
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:small";
            o.Queues = [HangfireIngestionQueue.Small];
            o.WorkerCount = 1;
            o.StopTimeout = grace;
            o.ShutdownTimeout = grace;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        return services;
    }

    public static void LogWorkerStart(this IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Worker");
        var options = services.GetRequiredService<IOptions<RagOptions>>().Value;
        StartupLog.Worker(logger, options.Ingestion.Workers, StartupLog.Describe(options, services.GetRequiredService<IOptions<QdrantOptions>>().Value));
    }

    public static WebApplication MapRagApi(this WebApplication app, ServiceRole role)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<AbandonedRequests>();
        app.UseMiddleware<LoopbackOnlyMiddleware>();
        app.UseMiddleware<RequestBodyGuard>();
        // The web console at /: static files that hold no data (every call they make carries the API key).
        app.UseWebConsole();

        app.MapOpenApi();
        // The API reference, from the OpenAPI document, with Scalar's script served by the service itself.
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("Rag API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

        // Prometheus scrapes the service's metrics here; with API keys configured, only an admin key may.
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAdmin();
        // The ingestion jobs, on whichever storage runs them: admin keys only (they list every tenant's documents).
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new JobsDashboardAuthorization()],
            DashboardTitle = "Rag jobs",
            DisplayStorageConnectionString = false,
            AppPath = "/docs",
        });

        // Tools for agents (Model Context Protocol): the same keys, the key's collections only.
        app.MapRagMcp();

        // OpenAI-compatible: its own API-key check, with errors in OpenAI's shape.
        app.MapChatCompletionsApi();

        var v1 = app.MapGroup("/v1").RequireApiKey();
        v1.MapCollectionsApi();
        v1.MapCompressApi();
        var collection = v1.MapGroup("/collections/{collection}").RequireCollectionAccess();
        collection.MapDocumentsApi();
        collection.MapQueryApi();

        LogStart(app, role);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var root = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? "";
            StartupLog.Ready(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Api"),
                string.Join(", ", app.Urls), root + "/", root + "/docs", root + McpEndpoint.Path, root + "/openapi/v1.json");
        });
        return app;
    }

    private static void LogStart(WebApplication app, ServiceRole role)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Api");
        var dataPath = Path.GetFullPath(app.Services.GetRequiredService<IOptions<RagOptions>>().Value.DataPath);
        var keys = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.ApiKeys.Count;
        if (keys == 0)
            StartupLog.AuthenticationOff(logger, string.Join(";", LoopbackBinding.Resolve(app.Configuration["urls"], authEnabled: false)));
        else
            StartupLog.AuthenticationOn(logger, keys, dataPath);
        var options = app.Services.GetRequiredService<IOptions<RagOptions>>().Value;
        var models = app.Services.GetRequiredService<Rag.Engine.Models.ModelHost>();
        StartupLog.Mode(
            logger,
            role == ServiceRole.Api ? "api (serves HTTP, queues jobs for workers)" : "all (serves HTTP and runs ingestion jobs)",
            models.Decoder is null ? "extractive (no generator configured)" : $"generated by {models.Decoder.ModelId}",
            models.Embedder is null ? "lexical (no encoder)" : $"hybrid by default, encoder {models.Embedder.ModelId}",
            StartupLog.Describe(options, app.Services.GetRequiredService<IOptions<QdrantOptions>>().Value));
        if (models.Decoder is { } decoder)
        {
            // What the generation gate bounds: the KV caches of the generations it admits at once.
            var config = decoder.Config;
            var perToken = 2L * config.Layers * config.KeyValueHeads * config.HeadDim * sizeof(float);
            var limits = options.Limits;
            StartupLog.Admission(logger, limits.Generation.MaxConcurrent, limits.Generation.MaxQueued,
                perToken * config.MaxPositions * limits.Generation.MaxConcurrent / (1024 * 1024), config.MaxPositions, perToken,
                limits.Compression.MaxConcurrent, limits.Compression.MaxQueued);
        }
    }
}
