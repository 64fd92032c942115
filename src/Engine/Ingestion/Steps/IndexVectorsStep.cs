using Rag.Retrieval.Vectors;

namespace Rag.Engine.Ingestion;

/// <summary>Index vectors: every document's chunk and unit vectors in one upsert (each document's replace what it had from this model).</summary>
internal sealed class IndexVectorsStep(IVectorIndex vectorIndex, ITextEmbedder embedder) : IIngestionStep
{
    public string Name => "index_vectors";

    public async Task RunAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var embedded = batch.Documents.Where(d => d.Vectors is not null).ToList();
        if (embedded.Count == 0)
            return;
        await vectorIndex.UpsertManyAsync(batch.Collection, embedder.ModelId,
            [.. embedded.Select(d => (d.Record.Id, d.Record.Tags, (IReadOnlyList<ChunkVector>)[.. d.Vectors!.Select(v => v.Vector)]))], cancellationToken);
    }
}
