using Rag.Retrieval.Lexical;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Ingestion;

/// <summary>What the steps do when a document turns out to be gone: its index entries (written by this run or an earlier one) go too.</summary>
internal sealed class DocumentIndexes(ILexicalIndex lexicalIndex, IVectorIndex vectorIndex, IngestionLog log)
{
    public async Task GoneAsync(IngestionGroup group, GroupDocument document)
    {
        log.Gone(group.Collection, document.Record.Id);
        group.Remove(document);
        await lexicalIndex.DeleteAsync(group.Collection, document.Record.Id, CancellationToken.None);
        await vectorIndex.DeleteAsync(group.Collection, document.Record.Id, CancellationToken.None);
    }
}
