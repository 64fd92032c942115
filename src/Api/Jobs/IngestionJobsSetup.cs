using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Rag.Engine;
using Rag.Engine.Ingestion;
using Rag.Storage.Postgres;

namespace Rag.Api.Jobs;

/// <summary>The ingestion jobs: Hangfire's storage, retries and servers.</summary>
internal static class IngestionJobsSetup
{
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
        // This service's Hangfire parts are its own — the storage, the activator over its container, its filters —
        // not Hangfire's process-wide JobStorage.Current, JobActivator.Current and GlobalJobFilters: two services in
        // one process (the in-process tests, an application hosting Rag twice) never run each other's jobs. Only the
        // process-wide default retry is taken out, so that the retry below is the only one.
        services.AddSingleton(provider =>
        {
            // Hangfire's set-up (serializer, compatibility level) runs before the first job is written or read.
            provider.GetRequiredService<IGlobalConfiguration>();
            return CreateStorage(storage, provider);
        });
        services.AddSingleton<JobActivator>(provider => new ContainerJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        HangfireLogs.Install();
        services.AddSingleton(provider => HangfireLogs.Shared.Attach(provider.GetRequiredService<ILoggerFactory>()));
        GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
        services.AddSingleton<IJobFilterProvider>(provider => new JobFilterProviderCollection(
            JobFilterProviders.Providers,
            new JobFilterCollection
            {
                provider.GetRequiredService<IngestionFailureFilter>(),
                new AutomaticRetryAttribute
                {
                    Attempts = ingestion.MaxAttempts - 1,
                    DelaysInSeconds = [2, 10, 30, 60, 120],
                    OnAttemptsExceeded = AttemptsExceededAction.Fail,
                },
            }));
        services.AddHangfire((provider, hangfire) =>
        {
            hangfire
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            HangfireLogs.Install();
            provider.GetRequiredService<HangfireLogs.Attachment>();
        });
        if (!runJobs)
            return services;
        services.AddRagBackgroundWork();
        // Every worker takes single small uploads first, then a batch's small groups, then large documents; one more
        // worker takes only single small uploads and one only small groups, so neither waits behind the lanes after it
        // (HangfireIngestionQueue picks the lane).
        services.AddHangfireServer(o =>
        {
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:all";
            o.Queues = [HangfireIngestionQueue.Interactive, HangfireIngestionQueue.Small, HangfireIngestionQueue.Large, "default"];
            o.WorkerCount = ingestion.Workers;
            o.StopTimeout = grace;
            o.ShutdownTimeout = grace;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        foreach (var lane in new[] { HangfireIngestionQueue.Interactive, HangfireIngestionQueue.Small })
        {
            services.AddHangfireServer(o =>
            {
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{lane}";
                o.Queues = [lane];
                o.WorkerCount = 1;
                o.StopTimeout = grace;
                o.ShutdownTimeout = grace;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
        }

        return services;
    }

    /// <summary>In memory with embedded storage, on PostgreSQL in the server deployment.</summary>
    private static JobStorage CreateStorage(StorageOptions storage, IServiceProvider provider)
    {
        if (storage.Documents != DocumentStorage.Postgres)
        {
            // Queued jobs do not survive a restart, the documents do; IngestionRecovery queues unfinished documents
            // again at start.
            return new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long });
        }

        var postgres = provider.GetRequiredService<IOptions<PostgresOptions>>().Value;
        // Jobs survive restarts and are shared by every worker. A job whose worker died becomes visible again after
        // the invisibility timeout (live workers keep pushing it back).
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            // Plain polling, once a second: with long polling (LISTEN/NOTIFY) a worker process was seen leaving
            // hundreds of enqueued jobs unfetched once uploads stopped (bench: 2,600 single uploads, 8 at a time);
            // polling costs one indexed query a second per worker.
            EnableLongPolling = false,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            InvisibilityTimeout = postgres.JobInvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(postgres.ConnectionString, options), options);
    }

    /// <summary>Jobs resolved from this service's container, one scope per job.</summary>
    private sealed class ContainerJobActivator(IServiceScopeFactory scopes) : JobActivator
    {
        public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateScope());

        private sealed class Scope(IServiceScope scope) : JobActivatorScope
        {
            public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

            public override void DisposeScope() => scope.Dispose();
        }
    }
}
