using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rag.Hosting;
using Rag.Api.Hosting;
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

        var deadline = DateTime.UtcNow.AddSeconds(60);
        DocumentRecord? status;
        while ((status = await store.GetAsync("retry", document.Id, CancellationToken.None))!.State != DocumentState.Failed && DateTime.UtcNow < deadline)
            await Task.Delay(200);
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

        public Task<byte[]?> GetContentAsync(string collection, string id, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _contentReads);
            throw new IOException("disk on fire");
        }

        public Task<(DocumentRecord Document, bool Created)> AddAsync(NewDocument document, CancellationToken cancellationToken) => inner.AddAsync(document, cancellationToken);
        public Task<DocumentRecord?> GetAsync(string collection, string id, CancellationToken cancellationToken) => inner.GetAsync(collection, id, cancellationToken);
        public Task<BatchSummary?> GetBatchAsync(string collection, string batchId, CancellationToken cancellationToken) => inner.GetBatchAsync(collection, batchId, cancellationToken);
        public Task<IReadOnlyList<string>> ListBatchUnfinishedAsync(string collection, string batchId, CancellationToken cancellationToken) => inner.ListBatchUnfinishedAsync(collection, batchId, cancellationToken);
        public Task<IReadOnlyList<DocumentRecord>> ListAsync(string collection, int limit, string? after, CancellationToken cancellationToken) => inner.ListAsync(collection, limit, after, cancellationToken);
        public Task<IReadOnlyList<DocumentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) => inner.ListUnfinishedAsync(cancellationToken);
        public Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken) => inner.ListCollectionsAsync(cancellationToken);
        public Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken) => inner.CollectionExistsAsync(collection, cancellationToken);
        public Task SetTextAsync(string collection, string id, string text, CancellationToken cancellationToken) => inner.SetTextAsync(collection, id, text, cancellationToken);
        public Task<string?> GetTextAsync(string collection, string id, CancellationToken cancellationToken) => inner.GetTextAsync(collection, id, cancellationToken);
        public Task UpdateStateAsync(string collection, string id, DocumentState state, double progress, string? error, CancellationToken cancellationToken) => inner.UpdateStateAsync(collection, id, state, progress, error, cancellationToken);
        public Task<bool> ReplaceChunksAsync(string collection, string id, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken) => inner.ReplaceChunksAsync(collection, id, chunks, cancellationToken);
        public Task<IReadOnlyList<TextChunk>> GetChunksAsync(string collection, string id, CancellationToken cancellationToken) => inner.GetChunksAsync(collection, id, cancellationToken);
        public Task<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<(string DocumentId, int Index)> keys, CancellationToken cancellationToken) => inner.GetChunksAsync(collection, keys, cancellationToken);
        public Task<bool> DeleteAsync(string collection, string id, CancellationToken cancellationToken) => inner.DeleteAsync(collection, id, cancellationToken);
    }
}
