using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rag.Retrieval.Stores;

namespace Rag.Engine.Ingestion;

/// <summary>
/// At start, queues every document whose ingestion had not ended: jobs that were waiting or
/// running when the process stopped (or crashed) are run again. The pipeline is idempotent, so a
/// document queued twice is harmless.
/// </summary>
public sealed partial class IngestionRecovery(IDocumentStore store, IIngestionQueue queue, ILogger<IngestionRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await store.ListUnfinishedAsync(cancellationToken);
        foreach (var document in unfinished)
            queue.Enqueue(document.Collection, document.Id);
        if (unfinished.Count > 0)
            LogResumed(unfinished.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Resumed ingestion of {Count} unfinished documents")]
    private partial void LogResumed(int count);
}
