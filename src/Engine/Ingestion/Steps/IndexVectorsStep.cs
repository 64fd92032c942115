using Rag.Retrieval.Vectors;

namespace Rag.Engine.Ingestion;

/// <summary>Index vectors: every document's chunk and unit vectors in one upsert (each document's replace what it had from this model).</summary>
internal sealed class IndexVectorsStep(IVectorIndex vectorIndex, ITextEmbedder embedder) : IIngestionStep
{
    public string Name => "index_vectors";

    public async Task RunAsync(IngestionGroup group, CancellationToken cancellationToken)
    {
        var embedded = group.Documents.Where(d => d.Vectors is not null).ToList();
        if (embedded.Count == 0)
            return;
        await vectorIndex.UpsertManyAsync(group.Collection, embedder.ModelId,
            [.. embedded.Select(d => (d.Record.Id, d.Record.Tags, (IReadOnlyList<ChunkVector>)[.. d.Vectors!.Select(v => v.Vector)]))], cancellationToken);
    }
}
