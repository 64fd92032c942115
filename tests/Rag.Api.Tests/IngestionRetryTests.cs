using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rag.Hosting;
using Rag.Api.Jobs;
using Rag.Engine;
using Rag.Engine.Configuration;
using Rag.Engine.Documents;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Parsing;
using Npgsql;
using Rag.Retrieval.Stores;
using Rag.Tests.Shared;
using Rag.Storage.Embedded;
using Rag.Storage.Postgres;

namespace Rag.Api.Tests;

/// <summary>Through real Hangfire: an ingestion that keeps failing for an unexpected reason ends failed, never pending.</summary>
public sealed class IngestionRetryTests
{
    [Theory]
    [InlineData(DocumentStorage.Embedded)]
    [InlineData(DocumentStorage.Postgres)]
    public async Task A_job_that_keeps_failing_ends_its_document_as_failed_after_its_attempts(DocumentStorage storage)
    {
        var dataPath = RagServer.NewDataPath();
        var settings = new Dictionary<string, string?> { ["Rag:DataPath"] = dataPath };
        IDocumentStore inner;
        if (storage == DocumentStorage.Postgres)
        {
            var connectionString = await TestPostgres.CreateDatabaseAsync();
            await PostgresSchema.MigrateAsync(connectionString, CancellationToken.None);
            settings["Rag:Storage:Documents"] = "Postgres";
            settings["Rag:Storage:Postgres:ConnectionString"] = connectionString;
            inner = new PostgresDocumentStore(NpgsqlDataSource.Create(connectionString));
        }
        else
        {
            inner = SqliteDocumentStore.Open(Path.Combine(dataPath, "rag.db"));
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRag(builder.Configuration);
        var store = new UnreadableContentStore(inner);
        builder.Services.AddSingleton<IDocumentStore>(store);
        var storageOptions = builder.Configuration.GetSection("Rag:Storage").Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddIngestionJobs(new IngestionOptions { Workers = 1, MaxAttempts = 2 }, storageOptions, runJobs: true, TimeSpan.FromSeconds(5));
        using var host = builder.Build();
        await host.StartAsync();

        var (document, _) = await host.Services.GetRequiredService<DocumentService>().AddAsync(
            new DocumentUpload("retry", Encoding.UTF8.GetBytes("Some text."), new DocumentKind(DocumentFormat.Text), "a.txt", null, []),
            CancellationToken.None);

        var status = (await Eventually.ValueAsync(() => store.GetAsync("retry", document.Id, CancellationToken.None), d => d!.State == DocumentState.Failed, "the document to fail after its retries"))!;
        await host.StopAsync();

        Assert.Equal(DocumentState.Failed, status.State);
        Assert.Contains("internal error", status.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("disk on fire", status.Error, StringComparison.Ordinal);
        Assert.Equal(2, store.ContentReads);
    }

    /// <summary>The real store, except that reading a document's content fails the way a broken disk would.</summary>
    private sealed class UnreadableContentStore(IDocumentStore inner) : IDocumentStore
    {
        private int _contentReads;

        public int ContentReads => _contentReads;

        public Task<IReadOnlyList<LoadedDocument>> GetManyAsync(string collection, IReadOnlyList<string> ids, DocumentParts parts, CancellationToken cancellationToken)
        {
            if (!parts.HasFlag(DocumentParts.Content))
                return inner.GetManyAsync(collection, ids, parts, cancellationToken);
            Interlocked.Increment(ref _contentReads);
            throw new IOException("disk on fire");
        }

        public Task<IReadOnlyList<AddedDocument>> AddManyAsync(IReadOnlyList<NewDocument> documents, CancellationToken cancellationToken) => inner.AddManyAsync(documents, cancellationToken);
        public Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken) => inner.GetBatchAsync(collection, batchId, cancellationToken);
        public Task<IReadOnlyList<string>> ListBatchUnfinishedAsync(string collection, string batchId, CancellationToken cancellationToken) => inner.ListBatchUnfinishedAsync(collection, batchId, cancellationToken);
        public Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken) => inner.ListAsync(collection, limit, after, cancellationToken);
        public Task<IReadOnlyList<DocumentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) => inner.ListUnfinishedAsync(cancellationToken);
        public Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken) => inner.ListCollectionsAsync(cancellationToken);
        public Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken) => inner.CollectionExistsAsync(collection, cancellationToken);
        public Task UpdateStatesAsync(string collection, IReadOnlyList<StateChange> changes, CancellationToken cancellationToken) => inner.UpdateStatesAsync(collection, changes, cancellationToken);
        public Task<IReadOnlyList<bool>> SaveParsedAsync(string collection, IReadOnlyList<ParsedChunks> documents, CancellationToken cancellationToken) => inner.SaveParsedAsync(collection, documents, cancellationToken);
        public Task<IReadOnlyList<TextChunk>> GetDocumentChunksAsync(string collection, string documentId, CancellationToken cancellationToken) => inner.GetDocumentChunksAsync(collection, documentId, cancellationToken);
        public Task<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<ChunkRef> chunks, CancellationToken cancellationToken) => inner.GetChunksAsync(collection, chunks, cancellationToken);
        public Task<int> DeleteManyAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken) => inner.DeleteManyAsync(collection, ids, cancellationToken);
    }
}
