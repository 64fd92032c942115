using Rag.Contracts;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Stores;

namespace Rag.Engine.Ingestion;

/// <summary>Parse: each document's bytes to text (commits nothing; a group of one says it is parsing).</summary>
internal sealed class ParseStep(IDocumentStore store) : IIngestionStep
{
    public string Name => "parse";

    public async Task RunAsync(IngestionGroup group, CancellationToken cancellationToken)
    {
        var todo = group.Documents.Where(d => !d.Stored).ToList();
        if (todo.Count == 0)
            return;
        if (group.ReportsProgress)
            await store.UpdateStatesAsync(group.Collection, [.. todo.Select(d => new StateChange(d.Record.Id, DocumentState.Parsing, 0.1))], cancellationToken);
        await group.EachAsync((document, token) =>
        {
            if (document.Stored)
                return Task.CompletedTask;
            var content = document.Content
                ?? throw new InvalidOperationException($"Document {document.Record.Collection}/{document.Record.Id} has no stored content.");
            using var step = RagTracing.Start("rag.ingest.parse", document.Span);
            var parsed = DocumentParser.Parse(content, DocumentKind.Parse(document.Record.Kind), token);
            step?.SetTag("rag.characters", parsed.Text.Length);
            document.Parsed = parsed;
            document.Text = parsed.Text;
            document.Content = null;
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
