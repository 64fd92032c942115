using Rag.Retrieval.Stores;

namespace Rag.Engine.Ingestion;

/// <summary>
/// Store text: every document's parsed text and chunks in one transaction (replacing what an interrupted run wrote);
/// commits them, so a run that stops later resumes after this step. A document deleted meanwhile leaves the group.
/// </summary>
internal sealed class StoreTextStep(IDocumentStore store, DocumentIndexes indexes, bool embeds) : IIngestionStep
{
    public string Name => "store_text";

    public async Task RunAsync(IngestionGroup group, CancellationToken cancellationToken)
    {
        var todo = group.Documents.Where(d => !d.Stored).ToList();
        if (todo.Count > 0)
        {
            var written = await store.SaveParsedAsync(group.Collection, [.. todo.Select(d => new ParsedChunks(d.Record.Id, d.Text!, d.Chunks!))], cancellationToken);
            for (var i = 0; i < todo.Count; i++)
            {
                if (written[i])
                    todo[i].Stored = true;
                else
                    await indexes.GoneAsync(group, todo[i]);
            }
        }

        // With an encoder, embedding is most of the work: progress gives it the span from 0.3 to 0.95.
        if (group.ReportsProgress && group.Documents.Count > 0)
            await store.UpdateStatesAsync(group.Collection, [.. group.Documents.Select(d => new StateChange(d.Record.Id, DocumentState.Indexing, embeds ? EmbedStep.From : 0.5))], cancellationToken);
    }
}
