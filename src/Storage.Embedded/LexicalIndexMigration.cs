using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rag.Retrieval.Stores;

namespace Rag.Storage.Embedded;

/// <summary>
/// At start, before anything searches or ingests: a data folder from a version that kept one Lucene
/// index for every collection (BM25 statistics shared between tenants) has its documents indexed
/// again, one index per collection, from the chunks in the document store; then the old index is
/// deleted. Documents not yet ready are left to the engine's ingestion recovery, which indexes them as
/// it finishes them.
/// </summary>
internal sealed partial class LexicalIndexMigration(LuceneLexicalIndex index, IDocumentStore store, ILogger<LexicalIndexMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!index.HasLegacyIndex)
            return;
        var documents = 0;
        await foreach (var document in store.AllInStateAsync(DocumentState.Ready, cancellationToken))
        {
            var chunks = await store.GetDocumentChunksAsync(document.Collection, document.Id, cancellationToken);
            await index.IndexAsync(document.Collection, document.Id, document.Tags, chunks, cancellationToken);
            documents++;
        }

        index.DropLegacyIndex();
        LogMigrated(documents);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = EmbeddedLogEvents.LexicalMigrated, Level = LogLevel.Information, Message = "Lexical index: {Count} documents indexed again with one index per collection; the shared index of earlier versions is removed")]
    private partial void LogMigrated(int count);
}
