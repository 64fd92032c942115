using Rag.Engine.Diagnostics;
using Rag.Retrieval.Stores;

namespace Rag.Engine.Ingestion;

/// <summary>
/// Mark ready: once what serves them is durable, the documents still in the store become ready together (one
/// transaction). A document deleted meanwhile — by a process that could not take its lock — loses what this run
/// indexed instead.
/// </summary>
internal sealed class MarkReadyStep(IDocumentStore store, DocumentIndexes indexes, RagMetrics metrics, IngestionLog log) : IIngestionStep
{
    public string Name => "mark_ready";

    public async Task RunAsync(IngestionGroup group, CancellationToken cancellationToken)
    {
        if (group.Documents.Count == 0)
            return;
        var present = (await store.GetManyAsync(group.Collection, [.. group.Documents.Select(d => d.Record.Id)], DocumentParts.None, cancellationToken))
            .Select(k => k.Document.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var document in group.Documents.Where(d => !present.Contains(d.Record.Id)).ToList())
            await indexes.GoneAsync(group, document);

        await store.UpdateStatesAsync(group.Collection, [.. group.Documents.Select(d => new StateChange(d.Record.Id, DocumentState.Ready, 1.0))], cancellationToken);
        foreach (var document in group.Documents)
        {
            metrics.DocumentIngested("ready", document.Record.SizeBytes, document.Clock.Elapsed);
            log.Ready(group.Collection, document.Record.Id, document.Chunks!.Count, document.Record.SizeBytes, document.Clock.ElapsedMilliseconds);
        }
    }
}
