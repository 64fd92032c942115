using System.ComponentModel;
using Rag.Engine.Ingestion;

namespace Rag.Api.Jobs;

/// <summary>The Hangfire job that ingests one document. Its arguments are only a pointer to the stored document.</summary>
public sealed class IngestionJob(IngestionPipeline pipeline)
{
    [DisplayName("Ingest {0}/{1}")]
    public Task RunAsync(string collection, string documentId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(collection, documentId, cancellationToken);
}
