using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rag.Storage.Postgres;

/// <summary>Brings the PostgreSQL schema up to date before anything else starts (registered first).</summary>
internal sealed partial class PostgresSchemaMigration(string connectionString, ILogger<PostgresSchemaMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await PostgresSchema.MigrateAsync(connectionString, cancellationToken);
        if (applied.Count > 0)
            LogApplied(applied.Count, string.Join(", ", applied));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = PostgresLogEvents.SchemaMigrated, Level = LogLevel.Information, Message = "Applied {Count} PostgreSQL migrations: {Scripts}")]
    private partial void LogApplied(int count, string scripts);
}
