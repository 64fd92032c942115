using Rag.Contracts;
using Rag.Retrieval.Lexical;

namespace Rag.Engine.Ingestion;

/// <summary>Index lexically: every document's chunks in one commit of the lexical index.</summary>
internal sealed class IndexLexicalStep(ILexicalIndex lexicalIndex) : IIngestionStep
{
    public string Name => "index_lexical";

    public async Task RunAsync(IngestionGroup group, CancellationToken cancellationToken)
    {
        if (group.Documents.Count == 0)
            return;
        using var step = RagTracing.Start("rag.ingest.index", group.Documents.Count == 1 ? group.Documents[0].Span : null);
        step?.SetTag("rag.documents", group.Documents.Count);
        await lexicalIndex.IndexManyAsync(group.Collection, [.. group.Documents.Select(d => new LexicalDocument(d.Record.Id, d.Record.Tags, d.Chunks!))], cancellationToken);
    }
}
