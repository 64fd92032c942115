using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
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
}
