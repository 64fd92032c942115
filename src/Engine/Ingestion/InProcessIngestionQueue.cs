using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;

namespace Rag.Engine.Ingestion;

/// <summary>
/// The ingestion queue of a library host (a Semantic Kernel app using Rag in process): a channel
/// drained by <see cref="IngestionOptions.Workers"/> tasks running <see cref="IngestionPipeline"/>.
/// Nothing is lost when the process stops: documents are stored before they are queued, and
/// <see cref="IngestionRecovery"/> queues unfinished ones again at start. A run that fails is
/// retried (<see cref="IngestionOptions.MaxAttempts"/>), then the document ends failed with the reason.
/// </summary>
public sealed partial class InProcessIngestionQueue(IngestionPipeline pipeline, IOptions<RagOptions> options, ILogger<InProcessIngestionQueue> logger)
    : BackgroundService, IIngestionQueue
{
    private readonly Channel<(string Collection, string DocumentId)> _channel = Channel.CreateUnbounded<(string, string)>();

    /// <summary>Queues the document for a background task of this process.</summary>
    public void Enqueue(string collection, string documentId, long sizeBytes) => _channel.Writer.TryWrite((collection, documentId));

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Ingestion.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var attempts = options.Value.Ingestion.MaxAttempts;
        await foreach (var (collection, documentId) in _channel.Reader.ReadAllAsync(stoppingToken))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await pipeline.RunAsync(collection, documentId, stoppingToken);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (attempt < attempts)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * Math.Pow(5, attempt - 1))), stoppingToken);
                        continue;
                    }

                    LogGaveUp(e, collection, documentId);
                    await pipeline.MarkFailedAsync(collection, documentId,
                        "Ingestion failed because of an internal error and was retried without success; the application log has the details.", stoppingToken);
                    break;
                }
            }
        }
    }

    [LoggerMessage(EventId = LogEvents.IngestionGivenUp, Level = LogLevel.Error, Message = "Giving up on ingestion of {Collection}/{DocumentId}")]
    private partial void LogGaveUp(Exception exception, string collection, string documentId);
}
