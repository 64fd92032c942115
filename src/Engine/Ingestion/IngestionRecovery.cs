using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;
using Rag.Retrieval.Stores;
using Rag.Engine.Diagnostics;

namespace Rag.Engine.Ingestion;

/// <summary>
/// No accepted document waits forever. At start, queues every document whose ingestion had not
/// ended: jobs that were waiting or running when the process stopped (or crashed) are run again.
/// Then, every half of <see cref="IngestionOptions.StaleAfter"/>, queues again the unfinished
/// documents nobody has touched for that long — an upload stored just before its process died,
/// before its job was queued, or a job lost with its worker — and touches them, so each gets at
/// most one extra job per period. The pipeline is idempotent and takes the document's lock, so a
/// document queued twice is ingested once; the extra job finds it ready and returns.
/// </summary>
public sealed partial class IngestionRecovery(
    IDocumentStore store, IIngestionQueue queue, IOptions<RagOptions> options, TimeProvider time, ILogger<IngestionRecovery> logger) : BackgroundService
{
    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await store.ListUnfinishedAsync(cancellationToken);
        foreach (var document in unfinished)
            queue.Enqueue(document.Collection, document.Id, document.SizeBytes);
        if (unfinished.Count > 0)
            LogResumed(unfinished.Count);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var staleAfter = options.Value.Ingestion.StaleAfter;
        using var timer = new PeriodicTimer(staleAfter / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RequeueStaleAsync(staleAfter, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unreachable; the next tick tries again.
                LogSweepFailed(e);
            }
        }
    }

    /// <summary>Queues again the unfinished documents untouched for <paramref name="staleAfter"/>; returns how many.</summary>
    internal async Task<int> RequeueStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - staleAfter;
        var stale = (await store.ListUnfinishedAsync(cancellationToken)).Where(d => d.UpdatedAt < cutoff).ToList();
        foreach (var document in stale)
        {
            // Touch first: another process sweeping at the same time skips it.
            await store.UpdateStateAsync(document.Collection, document.Id, document.State, document.Progress, null, cancellationToken);
            queue.Enqueue(document.Collection, document.Id, document.SizeBytes);
        }

        if (stale.Count > 0)
            LogRequeued(stale.Count, staleAfter);
        return stale.Count;
    }

    [LoggerMessage(EventId = LogEvents.RecoveryResumed, Level = LogLevel.Information, Message = "Resumed ingestion of {Count} unfinished documents")]
    private partial void LogResumed(int count);

    [LoggerMessage(EventId = LogEvents.RecoveryStale, Level = LogLevel.Warning, Message = "Queued again {Count} unfinished documents untouched for {StaleAfter}")]
    private partial void LogRequeued(int count, TimeSpan staleAfter);

    [LoggerMessage(EventId = LogEvents.RecoverySweepFailed, Level = LogLevel.Warning, Message = "Looking for stale documents failed; trying again later")]
    private partial void LogSweepFailed(Exception exception);
}
