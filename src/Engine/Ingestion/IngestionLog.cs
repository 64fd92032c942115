using Microsoft.Extensions.Logging;
using Rag.Engine.Diagnostics;

namespace Rag.Engine.Ingestion;

/// <summary>What ingestion logs, for the pipeline and its steps.</summary>
internal sealed partial class IngestionLog(ILogger logger)
{
    [LoggerMessage(EventId = LogEvents.DocumentReady, Level = LogLevel.Information, Message = "Ingested {Collection}/{DocumentId}: {ChunkCount} chunks from {SizeBytes} bytes in {ElapsedMs} ms")]
    public partial void Ready(string collection, string documentId, int chunkCount, long sizeBytes, long elapsedMs);

    [LoggerMessage(EventId = LogEvents.DocumentUnreadable, Level = LogLevel.Warning, Message = "Document {Collection}/{DocumentId} cannot be ingested: {Reason}")]
    public partial void Unreadable(string collection, string documentId, string reason);

    [LoggerMessage(EventId = LogEvents.ChunksTruncated, Level = LogLevel.Information,
        Message = "Document {Collection}/{DocumentId}: {Truncated} of {Chunks} chunks are longer than the embedder reads ({MaxTokens} tokens); their vectors cover their start")]
    public partial void Truncated(string collection, string documentId, int truncated, int chunks, int maxTokens);

    [LoggerMessage(EventId = LogEvents.IngestionStoppedForDelete, Level = LogLevel.Information, Message = "Ingestion of {Collection}/{DocumentId} stopped: the document is being deleted")]
    public partial void StoppedForDelete(string collection, string documentId);

    [LoggerMessage(EventId = LogEvents.DocumentGone, Level = LogLevel.Information, Message = "Document {Collection}/{DocumentId} was deleted before ingestion finished; nothing to do")]
    public partial void Gone(string collection, string documentId);
}
