using Rag.Contracts;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Parsing;

namespace Rag.Engine.Ingestion;

/// <summary>Chunk: each parsed document into chunks (commits nothing); a document with no text to index cannot be ingested.</summary>
internal sealed class ChunkStep(DocumentChunker chunker) : IIngestionStep
{
    public string Name => "chunk";

    public Task RunAsync(IngestionGroup group, CancellationToken cancellationToken) =>
        group.EachAsync((document, token) =>
        {
            if (document.Stored || document.Parsed is not { } parsed)
                return Task.CompletedTask;
            using (var step = RagTracing.Start("rag.ingest.chunk", document.Span))
            {
                document.Chunks = chunker.Chunk(parsed, token);
                step?.SetTag("rag.chunks", document.Chunks.Count).SetTag("rag.tokens", document.Chunks.Sum(c => c.TokenCount));
            }

            document.Parsed = null;
            document.Span?.SetTag("rag.chunks", document.Chunks.Count).SetTag("rag.tokens", document.Chunks.Sum(c => c.TokenCount));
            if (document.Chunks.Count == 0)
                throw new DocumentParseException("The document has no text to index.");
            return Task.CompletedTask;
        }, cancellationToken);
}
