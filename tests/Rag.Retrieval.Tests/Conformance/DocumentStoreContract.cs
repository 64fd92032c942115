using Rag.Retrieval.Chunking;
using Rag.Retrieval.Stores;
using Rag.Tests.Shared;
using Rag.Storage.Embedded;
using Rag.Storage.Postgres;

namespace Rag.Retrieval.Tests.Conformance;

/// <summary>What every <see cref="IDocumentStore"/> does; each implementation runs it against a fresh, real store.</summary>
public abstract class DocumentStoreContract : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;
    private IDocumentStore _store = null!;

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IDocumentStore> OpenAsync();

    public async Task InitializeAsync() => _store = await OpenAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_same_document_uploaded_concurrently_is_created_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.AddAsync(Document("c1", "doc_a"), _ct))));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal("doc_a", r.Document.Id));
        Assert.Single(await _store.ListAsync("c1", 10, null, _ct));
    }

    [Fact]
    public async Task Documents_keep_their_metadata_and_content()
    {
        var (created, _) = await _store.AddAsync(Document("c1", "doc_a", "Title ünïcode"), _ct);
        await _store.SaveParsedAsync("c1", "doc_a", "parsed text", [], _ct);
        await _store.UpdateStateAsync("c1", "doc_a", DocumentState.Indexing, 0.5, null, _ct);

        var read = (await _store.GetAsync("c1", "doc_a", _ct))!;

        Assert.Equal(("c1", "hash-doc_a", "Title ünïcode", "doc_a.txt", "text"), (read.Collection, read.ContentHash, read.Title, read.FileName, read.Kind));
        Assert.Equal("content of doc_a".Length, read.SizeBytes);
        Assert.Equal((DocumentState.Indexing, 0.5), (read.State, read.Progress));
        Assert.Equal(created.CreatedAt, read.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.True(read.UpdatedAt >= read.CreatedAt);
        Assert.Equal("parsed text", await _store.GetTextAsync("c1", "doc_a", _ct));
        Assert.Null(await _store.GetAsync("c1", "doc_missing", _ct));
        Assert.Null(await _store.GetContentAsync("c1", "doc_missing", _ct));
    }

    [Fact]
    public async Task A_batch_is_stored_in_order_with_duplicates_inside_it_and_before_it_found()
    {
        await _store.AddAsync(Document("c1", "doc_old", "old"), _ct);

        var added = await _store.AddManyAsync([Document("c1", "doc_a", "a"), Document("c1", "doc_old", "again"), Document("c1", "doc_b", "b"), Document("c1", "doc_a", "a twice")], _ct);

        Assert.Equal([("doc_a", true), ("doc_old", false), ("doc_b", true), ("doc_a", false)], added.Select(a => (a.Document.Id, a.Created)));
        Assert.Equal(["a", "old", "b", "a"], added.Select(a => a.Document.Title));
        Assert.Equal(["doc_old", "doc_a", "doc_b"], (await _store.ListAsync("c1", 10, null, _ct)).Select(d => d.Id));
        Assert.Equal("content of doc_b"u8.ToArray(), await _store.GetContentAsync("c1", "doc_b", _ct));
    }

    [Fact]
    public async Task A_batch_is_the_documents_it_created_that_still_exist()
    {
        await _store.AddAsync(Document("c1", "doc_old"), _ct);
        await _store.AddManyAsync([.. new[] { "doc_a", "doc_b", "doc_old", "doc_c", "doc_d" }.Select(id => Document("c1", id) with { BatchId = "bat_1" })], _ct);
        await _store.AddAsync(Document("c2", "doc_a") with { BatchId = "bat_1" }, _ct);
        await _store.SaveParsedAsync("c1", [new ParsedChunks("doc_a", "alpha", [Chunk(0, "alpha") with { TokenCount = 7 }, Chunk(1, "more") with { TokenCount = 5 }])], _ct);
        await _store.UpdateStatesAsync("c1", [new StateChange("doc_a", DocumentState.Ready, 1.0)], _ct);
        await _store.UpdateStateAsync("c1", "doc_b", DocumentState.Failed, 1.0, "unreadable", _ct);
        await _store.UpdateStateAsync("c1", "doc_c", DocumentState.Indexing, 0.5, null, _ct);
        await _store.DeleteAsync("c1", "doc_d", _ct);

        var batch = await _store.GetBatchAsync("c1", "bat_1", _ct);

        // doc_old was there before (a duplicate, not the batch's); doc_d was deleted; c2's document is another collection's.
        var bytes = "content of doc_a".Length;
        Assert.Equal(new BatchSummary(3, 0, 1, 1, 1, 3 * bytes, 2 * bytes, 0.833, 12), batch);
        Assert.Equal(["doc_c"], await _store.ListBatchUnfinishedAsync("c1", "bat_1", _ct));
        Assert.Equal(1, (await _store.GetBatchAsync("c2", "bat_1", _ct))!.Documents);
        Assert.Null(await _store.GetBatchAsync("c1", "bat_unknown", _ct));
        Assert.Empty(await _store.ListBatchUnfinishedAsync("c1", "bat_unknown", _ct));
    }

    [Fact]
    public async Task Several_documents_are_read_at_once_with_or_without_their_bytes()
    {
        await _store.AddManyAsync([Document("c1", "doc_a", "a"), Document("c1", "doc_b", "b"), Document("c2", "doc_c", "c")], _ct);

        var found = await _store.GetManyAsync("c1", ["doc_b", "doc_missing", "doc_a", "doc_c", "doc_b"], DocumentParts.Content, _ct);
        var bare = await _store.GetManyAsync("c1", ["doc_a"], DocumentParts.None, _ct);

        Assert.Equal([("doc_a", "a"), ("doc_b", "b")], found.Select(f => (f.Document.Id, f.Document.Title)).Order());
        Assert.All(found, f => Assert.Equal(System.Text.Encoding.UTF8.GetBytes("content of " + f.Document.Id), f.Content));
        Assert.Null(Assert.Single(bare).Content);
        Assert.All(found, f => Assert.Null(f.Text));
    }

    [Fact]
    public async Task Parsed_text_is_read_with_the_document_when_asked_and_null_before_parsing()
    {
        await _store.AddManyAsync([Document("c1", "doc_a"), Document("c1", "doc_b")], _ct);
        await _store.SaveParsedAsync("c1", "doc_a", "parsed ünïcode", [Chunk(0, "parsed")], _ct);

        var found = (await _store.GetManyAsync("c1", ["doc_a", "doc_b"], DocumentParts.Text, _ct)).ToDictionary(f => f.Document.Id);
        var both = Assert.Single(await _store.GetManyAsync("c1", ["doc_a"], DocumentParts.Text | DocumentParts.Content, _ct));

        Assert.Equal("parsed ünïcode", found["doc_a"].Text);
        Assert.Null(found["doc_a"].Content);
        Assert.Null(found["doc_b"].Text);
        Assert.Equal(("parsed ünïcode", "content of doc_a"), (both.Text, System.Text.Encoding.UTF8.GetString(both.Content!)));
        Assert.Empty(await _store.GetManyAsync("c1", [], DocumentParts.Text, _ct));
    }

    [Fact]
    public async Task Parsed_texts_and_chunks_of_several_documents_are_written_together_except_for_gone_ones()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);
        await _store.AddAsync(Document("c1", "doc_b"), _ct);
        await _store.SaveParsedAsync("c1", "doc_b", "text", [Chunk(0, "stale"), Chunk(1, "stale too")], _ct);

        var written = await _store.SaveParsedAsync("c1", [
            new ParsedChunks("doc_a", "alpha text", [Chunk(0, "alpha")]),
            new ParsedChunks("doc_gone", "never", [Chunk(0, "never")]),
            new ParsedChunks("doc_b", "beta text", [Chunk(0, "beta")]),
        ], _ct);

        Assert.Equal([true, false, true], written);
        Assert.Equal("alpha text", await _store.GetTextAsync("c1", "doc_a", _ct));
        Assert.Equal(["beta"], (await _store.GetDocumentChunksAsync("c1", "doc_b", _ct)).Select(c => c.Text));
        Assert.Equal(1, (await _store.GetAsync("c1", "doc_b", _ct))!.ChunkCount);
        Assert.Null(await _store.GetAsync("c1", "doc_gone", _ct));
    }

    [Fact]
    public async Task States_of_several_documents_are_set_together_and_only_theirs()
    {
        foreach (var id in new[] { "doc_a", "doc_b", "doc_c" })
            await _store.AddAsync(Document("c1", id), _ct);
        await _store.UpdateStateAsync("c1", "doc_a", DocumentState.Indexing, 0.5, "an old error", _ct);

        await _store.UpdateStatesAsync("c1", [
            new StateChange("doc_a", DocumentState.Ready, 1.0),
            new StateChange("doc_b", DocumentState.Failed, 1.0, "unreadable"),
            new StateChange("doc_missing", DocumentState.Ready, 1.0),
        ], _ct);

        var states = await Task.WhenAll(new[] { "doc_a", "doc_b", "doc_c" }.Select(id => _store.GetAsync("c1", id, _ct)));
        Assert.Equal([(DocumentState.Ready, 1.0, (string?)null), (DocumentState.Failed, 1.0, "unreadable"), (DocumentState.Queued, 0.0, null)],
            states.Select(d => (d!.State, d.Progress, d.Error)));
        Assert.Null(await _store.GetAsync("c1", "doc_missing", _ct));
    }

    [Fact]
    public async Task Adding_the_same_id_twice_returns_the_first_document()
    {
        var (first, created) = await _store.AddAsync(Document("c1", "doc_a", "first"), _ct);
        var (second, createdAgain) = await _store.AddAsync(Document("c1", "doc_a", "second title"), _ct);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("first", second.Title);
        Assert.Equal(DocumentState.Queued, second.State);
        Assert.Equal(["t1", "t2"], second.Tags);
        Assert.Equal("content of doc_a"u8.ToArray(), await _store.GetContentAsync("c1", "doc_a", _ct));
    }

    [Fact]
    public async Task Collections_are_separate()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);
        await _store.AddAsync(Document("c2", "doc_a"), _ct);

        Assert.True(await _store.DeleteAsync("c1", "doc_a", _ct));
        Assert.Null(await _store.GetAsync("c1", "doc_a", _ct));
        Assert.NotNull(await _store.GetAsync("c2", "doc_a", _ct));
        Assert.False(await _store.CollectionExistsAsync("c1", _ct));
        Assert.Equal(["c2"], await _store.ListCollectionsAsync(_ct));
    }

    [Fact]
    public async Task Listing_pages_through_documents_in_upload_order()
    {
        foreach (var id in new[] { "doc_c", "doc_a", "doc_b" })
            await _store.AddAsync(Document("c1", id), _ct);

        var first = await _store.ListAsync("c1", 2, null, _ct);
        var second = await _store.ListAsync("c1", 2, first[^1].Id, _ct);

        Assert.Equal(["doc_c", "doc_a"], first.Select(d => d.Id));
        Assert.Equal(["doc_b"], second.Select(d => d.Id));
    }

    [Fact]
    public async Task Replacing_chunks_never_duplicates_them()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);
        var chunks = new[] { Chunk(0, "alpha"), Chunk(1, "beta") };

        await _store.SaveParsedAsync("c1", "doc_a", "text", chunks, _ct);
        await _store.SaveParsedAsync("c1", "doc_a", "text", chunks, _ct);

        Assert.Equal(chunks, await _store.GetDocumentChunksAsync("c1", "doc_a", _ct));
        Assert.Equal(2, (await _store.GetAsync("c1", "doc_a", _ct))!.ChunkCount);
    }

    [Fact]
    public async Task Chunks_of_a_deleted_document_are_not_written_or_returned()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);
        await _store.SaveParsedAsync("c1", "doc_a", "text", [Chunk(0, "alpha")], _ct);
        await _store.DeleteAsync("c1", "doc_a", _ct);

        Assert.False(await _store.SaveParsedAsync("c1", "doc_a", "text", [Chunk(0, "alpha")], _ct));
        Assert.Empty(await _store.GetChunksAsync("c1", [new("doc_a", 0)], _ct));
    }

    [Fact]
    public async Task Unfinished_documents_are_listed_until_they_are_ready_or_failed()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);
        await _store.AddAsync(Document("c1", "doc_b"), _ct);
        await _store.AddAsync(Document("c2", "doc_c"), _ct);
        await _store.UpdateStateAsync("c1", "doc_a", DocumentState.Ready, 1, null, _ct);
        await _store.UpdateStateAsync("c1", "doc_b", DocumentState.Indexing, 0.5, null, _ct);
        await _store.UpdateStateAsync("c2", "doc_c", DocumentState.Failed, 1, "bad", _ct);

        var unfinished = await _store.ListUnfinishedAsync(_ct);

        Assert.Equal(["doc_b"], unfinished.Select(d => d.Id));
        Assert.Equal("bad", (await _store.GetAsync("c2", "doc_c", _ct))!.Error);
    }

    [Fact]
    public async Task Chunks_are_read_back_in_the_order_asked()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);
        await _store.SaveParsedAsync("c1", "doc_a", "text", [Chunk(0, "alpha"), Chunk(1, "beta"), Chunk(2, "gamma")], _ct);

        var chunks = await _store.GetChunksAsync("c1", [new("doc_a", 2), new("doc_a", 0), new("doc_x", 0)], _ct);

        Assert.Equal(["gamma", "alpha"], chunks.Select(c => c.Chunk.Text));
        Assert.Equal("doc_a:2", chunks[0].ChunkId);
    }

    [Fact]
    public async Task Deleting_a_missing_document_says_so()
    {
        await _store.AddAsync(Document("c1", "doc_a"), _ct);

        Assert.True(await _store.DeleteAsync("c1", "doc_a", _ct));
        Assert.False(await _store.DeleteAsync("c1", "doc_a", _ct));
        Assert.Null(await _store.GetContentAsync("c1", "doc_a", _ct));
        Assert.Empty(await _store.GetDocumentChunksAsync("c1", "doc_a", _ct));
    }

    [Fact]
    public async Task Several_documents_are_deleted_together_and_only_theirs()
    {
        await _store.AddManyAsync([.. new[] { "doc_a", "doc_b", "doc_c" }.Select(id => Document("c1", id) with { BatchId = "bat_1" })], _ct);
        await _store.AddAsync(Document("c2", "doc_a"), _ct);
        await _store.SaveParsedAsync("c1", "doc_a", "text", [Chunk(0, "alpha")], _ct);

        Assert.Equal(2, await _store.DeleteManyAsync("c1", ["doc_a", "doc_c", "doc_missing", "doc_a"], _ct));

        Assert.Equal(["doc_b"], (await _store.ListAsync("c1", 10, null, _ct)).Select(d => d.Id));
        Assert.Empty(await _store.GetDocumentChunksAsync("c1", "doc_a", _ct));
        Assert.Null(await _store.GetContentAsync("c1", "doc_c", _ct));
        Assert.Equal(1, (await _store.GetBatchAsync("c1", "bat_1", _ct))!.Documents);
        Assert.NotNull(await _store.GetAsync("c2", "doc_a", _ct));
    }

    private static NewDocument Document(string collection, string id, string? title = null) =>
        new(collection, id, "hash-" + id, title, id + ".txt", "text", ["t1", "t2"], System.Text.Encoding.UTF8.GetBytes("content of " + id));

    private static TextChunk Chunk(int index, string text) => new(index, index * 10, (index * 10) + text.Length, text, 1, null);
}

public sealed class SqliteDocumentStoreTests : DocumentStoreContract
{
    protected override Task<IDocumentStore> OpenAsync() =>
        Task.FromResult<IDocumentStore>(SqliteDocumentStore.Open(Path.Combine(TestSupport.TempFolder(), "rag.db")));
}

public sealed class PostgresDocumentStoreTests : DocumentStoreContract
{
    protected override async Task<IDocumentStore> OpenAsync() => new PostgresDocumentStore(await PostgresTestDatabase.CreateAsync());
}
