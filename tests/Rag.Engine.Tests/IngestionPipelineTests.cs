using System.Text;
using Microsoft.Extensions.Options;
using Rag.Engine.Answers;
using Rag.Engine.Configuration;
using Rag.Engine.Documents;
using Rag.Engine.Search;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Rag.Engine.Tests;

public sealed class IngestionPipelineTests : IAsyncLifetime
{
    private const string Handbook = """
        # Harbour handbook

        ## Tides

        High water at the north pier comes forty minutes after high water at the river mouth.
        Pilots board inbound ships two miles out.

        ## Lighthouse

        The lighthouse was built in 1854 by the harbour board. Its lamp is lit at dusk and put out at dawn.
        The keeper's cottage stands beside the tower and is now a museum.
        """;

    private readonly EngineHarness _engine = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A_stored_document_whose_job_was_lost_is_queued_again_once_stale_and_only_once_per_period()
    {
        var (document, _) = await _engine.Get<DocumentService>().AddAsync(Upload("lost", Handbook, "handbook.md"), _ct);
        Assert.True(_engine.Queue.TryTake(out _)); // the job is lost: its process died right after storing the upload
        var recovery = _engine.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Rag.Engine.Ingestion.IngestionRecovery>().Single();

        Assert.Equal(0, await recovery.RequeueStaleAsync(TimeSpan.FromMinutes(1), _ct));
        _engine.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await recovery.RequeueStaleAsync(TimeSpan.FromMinutes(1), _ct));
        // Queuing it touched it: within the next period it is not queued again.
        Assert.Equal(0, await recovery.RequeueStaleAsync(TimeSpan.FromMinutes(1), _ct));
        _engine.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await recovery.RequeueStaleAsync(TimeSpan.FromMinutes(1), _ct));

        await _engine.DrainAsync();
        Assert.Equal(DocumentState.Ready, (await _engine.Get<DocumentService>().GetAsync("lost", document.Id, _ct))!.State);
        Assert.Equal(0, await recovery.RequeueStaleAsync(TimeSpan.Zero, _ct));
    }

    [Fact]
    public async Task An_uploaded_document_becomes_ready_searchable_and_answerable_with_exact_citations()
    {
        var documents = _engine.Get<DocumentService>();
        var (document, created) = await documents.AddAsync(Upload("harbour", Handbook, "handbook.md"), _ct);
        Assert.True(created);
        Assert.Equal(DocumentState.Queued, document.State);

        await _engine.DrainAsync();

        var ready = await documents.GetAsync("harbour", document.Id, _ct);
        Assert.Equal(DocumentState.Ready, ready!.State);
        Assert.Equal(1.0, ready.Progress);
        Assert.True(ready.ChunkCount >= 1);

        var hits = (await _engine.Get<SearchService>().SearchAsync("harbour", new SearchQuery("lighthouse built", 5, []), _ct)).Results;
        Assert.Contains("1854", hits[0].Text, StringComparison.Ordinal);

        var answer = await _engine.Get<AskService>().AskAsync("harbour", new AskQuery("When was the lighthouse built?", 5, 64, []), _ct);
        var text = await documents.GetTextAsync("harbour", document.Id, _ct);
        var citation = answer.Citations[0];
        Assert.Equal("extractive", answer.Mode);
        Assert.Contains("1854", citation.Quote, StringComparison.Ordinal);
        Assert.Equal(citation.Quote, text![citation.Start..citation.End]);
        Assert.StartsWith(citation.Quote, answer.Answer, StringComparison.Ordinal);
        Assert.True(answer.Figures.TokensReturned <= 64);
        Assert.True(answer.Figures.TokensRetrieved >= answer.Figures.TokensReturned);
        Assert.Contains("total", answer.Figures.TimingsMs.Keys);
    }

    [Fact]
    public async Task The_same_bytes_are_the_same_document_and_are_queued_once()
    {
        var documents = _engine.Get<DocumentService>();

        var (first, _) = await documents.AddAsync(Upload("harbour", Handbook, "a.md"), _ct);
        var (second, created) = await documents.AddAsync(Upload("harbour", Handbook, "copy.md"), _ct);
        var (other, createdElsewhere) = await documents.AddAsync(Upload("other", Handbook, "a.md"), _ct);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.True(createdElsewhere);
        // Ids are keyed by the collection: the same bytes elsewhere share nothing with this id.
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(2, _engine.Queue.Enqueued.Count);
    }

    [Fact]
    public async Task A_document_stored_under_an_earlier_versions_id_is_still_the_duplicate()
    {
        var documents = _engine.Get<DocumentService>();
        var bytes = System.Text.Encoding.UTF8.GetBytes(Handbook);
        var hash = DocumentIds.ContentHash(bytes);
        await _engine.Get<IDocumentStore>().AddAsync(
            new NewDocument("harbour", DocumentIds.Legacy(hash), hash, "old", "old.md", "Markdown", [], bytes), _ct);

        var (again, created) = await documents.AddAsync(Upload("harbour", Handbook, "again.md"), _ct);

        Assert.False(created);
        Assert.Equal(DocumentIds.Legacy(hash), again.Id);
    }

    [Fact]
    public async Task Running_ingestion_again_after_a_crash_half_way_duplicates_nothing()
    {
        var documents = _engine.Get<DocumentService>();
        var store = _engine.Get<IDocumentStore>();
        var (document, _) = await documents.AddAsync(Upload("harbour", Handbook, "handbook.md"), _ct);
        await _engine.DrainAsync();
        var chunks = await store.GetDocumentChunksAsync("harbour", document.Id, _ct);

        // As if the process had died after writing chunks and index entries but before "ready".
        await store.UpdateStateAsync("harbour", document.Id, DocumentState.Indexing, 0.75, null, _ct);
        await _engine.Get<Ingestion.IngestionPipeline>().RunAsync("harbour", document.Id, _ct);
        await _engine.Get<Ingestion.IngestionPipeline>().RunAsync("harbour", document.Id, _ct);

        Assert.Equal(DocumentState.Ready, (await documents.GetAsync("harbour", document.Id, _ct))!.State);
        Assert.Equal(chunks, await store.GetDocumentChunksAsync("harbour", document.Id, _ct));
        var hits = (await _engine.Get<SearchService>().SearchAsync("harbour", new SearchQuery("lighthouse", 50, []), _ct)).Results;
        Assert.Equal(hits.Select(h => h.ChunkId).Distinct().Count(), hits.Count);
    }

    [Fact]
    public async Task Unreadable_content_fails_that_document_only_with_a_reason()
    {
        var documents = _engine.Get<DocumentService>();
        var (good, _) = await documents.AddAsync(Upload("harbour", Handbook, "handbook.md"), _ct);
        var (pdf, _) = await documents.AddAsync(new DocumentUpload("harbour", "%PDF-1.7 garbage"u8.ToArray(), new DocumentKind(DocumentFormat.Pdf), "x.pdf", null, []), _ct);
        var (junk, _) = await documents.AddAsync(new DocumentUpload("harbour", new byte[] { 0xff, 0xfe, 0x00, 0x81 }, new DocumentKind(DocumentFormat.Text), "x.txt", null, []), _ct);

        await _engine.DrainAsync();

        Assert.Equal(DocumentState.Ready, (await documents.GetAsync("harbour", good.Id, _ct))!.State);
        var failedPdf = await documents.GetAsync("harbour", pdf.Id, _ct);
        Assert.Equal(DocumentState.Failed, failedPdf!.State);
        Assert.Contains("PDF", failedPdf.Error, StringComparison.Ordinal);
        var failedJunk = await documents.GetAsync("harbour", junk.Id, _ct);
        Assert.Equal(DocumentState.Failed, failedJunk!.State);
        Assert.Contains("UTF-8", failedJunk.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_document_disappears_from_search_and_its_queued_job_does_nothing()
    {
        var documents = _engine.Get<DocumentService>();
        var (kept, _) = await documents.AddAsync(Upload("harbour", "The ferry leaves at noon.", "ferry.txt"), _ct);
        var (document, _) = await documents.AddAsync(Upload("harbour", Handbook, "handbook.md"), _ct);
        await _engine.DrainAsync();

        Assert.True(await documents.DeleteAsync("harbour", document.Id, _ct));
        _engine.Queue.Enqueue("harbour", document.Id, document.SizeBytes);
        await _engine.DrainAsync();

        Assert.Null(await documents.GetAsync("harbour", document.Id, _ct));
        var search = _engine.Get<SearchService>();
        Assert.Empty((await search.SearchAsync("harbour", new SearchQuery("lighthouse", 10, [], SearchMode.Lexical), _ct)).Results);
        // Dense search always has a nearest neighbour: the one document left, never the deleted one.
        foreach (var mode in new[] { SearchMode.Dense, SearchMode.Hybrid })
            Assert.Equal([kept.Id], (await search.SearchAsync("harbour", new SearchQuery("lighthouse", 10, [], mode), _ct)).Results.Select(r => r.DocumentId));
        Assert.Single((await search.SearchAsync("harbour", new SearchQuery("ferry", 10, []), _ct)).Results);
        Assert.False(await documents.DeleteAsync("harbour", document.Id, _ct));
        Assert.NotNull(await documents.GetAsync("harbour", kept.Id, _ct));
    }

    [Fact]
    public async Task At_start_unfinished_documents_are_queued_again()
    {
        var documents = _engine.Get<DocumentService>();
        var (a, _) = await documents.AddAsync(Upload("harbour", "First document.", "a.txt"), _ct);
        var (b, _) = await documents.AddAsync(Upload("harbour", "Second document.", "b.txt"), _ct);
        var pipeline = _engine.Get<Ingestion.IngestionPipeline>();
        await pipeline.RunAsync("harbour", a.Id, _ct);
        _engine.Queue.Enqueued.Clear();
        while (_engine.Queue.TryTake(out _)) { }

        await _engine.StartHostedServicesAsync();

        Assert.Equal([("harbour", b.Id)], _engine.Queue.Enqueued);
    }

    [Fact]
    public void Bad_options_fail_at_start_naming_the_key()
    {
        using var engine = new EngineHarness(settings: new() { ["Rag:Chunking:OverlapTokens"] = "500" }).Services;

        var error = Assert.Throws<OptionsValidationException>(() => engine.GetRequiredService<IOptions<RagOptions>>().Value);
        Assert.Contains("Rag:Chunking:OverlapTokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_makes_its_readable_documents_ready_together_and_fails_the_unreadable_one_with_its_reason()
    {
        var documents = _engine.Get<DocumentService>();
        var added = await documents.AddManyAsync("group", [
            Upload("group", Handbook, "handbook.md"),
            new DocumentUpload("group", new byte[] { 0x25, 0x50, 0x44, 0x46, 0x00, 0x01 }, new DocumentKind(DocumentFormat.Pdf), "broken.pdf", null, []),
            Upload("group", "# Ferry\n\nThe ferry to the island leaves at seven every morning.", "ferry.md"),
            Upload("group", Handbook, "copy.md"),
        ], _ct);
        Assert.Equal([true, true, true, false], added.Select(a => a.Created));
        Assert.Equal(added[0].Document.Id, added[3].Document.Id);
        // The queue got the three new documents at once, in upload order.
        var queued = new List<string>();
        while (_engine.Queue.TryTake(out var item))
            queued.Add(item.DocumentId);
        Assert.Equal(added.Take(3).Select(a => a.Document.Id), queued);

        var encoder = Assert.IsType<Rag.Engine.Models.OnnxEmbedder>(_engine.Get<Rag.Retrieval.Vectors.ITextEmbedder>());
        var batchesBefore = encoder.BatchesRun;

        var failures = await _engine.Get<Rag.Engine.Ingestion.IngestionPipeline>().RunGroupAsync("group", queued, _ct);

        Assert.Empty(failures);
        // The two readable documents' chunks and units went to the encoder together: packed into full batches across
        // both documents (a document alone would end in a part-filled batch of its own).
        var chunks = new List<Rag.Retrieval.Chunking.ChunkRef>();
        foreach (var id in new[] { queued[0], queued[2] })
            chunks.AddRange((await _engine.Get<Rag.Retrieval.Stores.IDocumentStore>().GetDocumentChunksAsync("group", id, _ct)).Select(c => new Rag.Retrieval.Chunking.ChunkRef(id, c.Index)));
        var units = await _engine.Get<Rag.Retrieval.Vectors.IVectorIndex>().GetUnitsAsync("group", encoder.ModelId, chunks, _ct);
        var texts = chunks.Count + units.Values.Sum(u => u.Count);
        Assert.Equal((texts + 7) / 8, encoder.BatchesRun - batchesBefore); // Rag:Models:Embedder:BatchSize 8
        var states = await Task.WhenAll(queued.Select(id => documents.GetAsync("group", id, _ct)));
        Assert.Equal([DocumentState.Ready, DocumentState.Failed, DocumentState.Ready], states.Select(d => d!.State));
        Assert.Contains("PDF", states[1]!.Error, StringComparison.Ordinal);
        var search = _engine.Get<SearchService>();
        var found = await search.SearchAsync("group", new SearchQuery("ferry island seven", 3, [], SearchMode.Lexical), _ct);
        Assert.Equal(queued[2], found.Results[0].DocumentId);
        var dense = await search.SearchAsync("group", new SearchQuery("When does the boat to the island depart?", 3, [], SearchMode.Dense), _ct);
        Assert.Equal(queued[2], dense.Results[0].DocumentId);

        // A second run of the same group (a retry) changes nothing: finished documents return at once.
        Assert.Empty(await _engine.Get<Rag.Engine.Ingestion.IngestionPipeline>().RunGroupAsync("group", queued, _ct));
        var again = await search.SearchAsync("group", new SearchQuery("lighthouse built", 10, [], SearchMode.Lexical), _ct);
        Assert.Equal(again.Results.Count, again.Results.Select(r => r.ChunkId).Distinct().Count());
    }

    private static DocumentUpload Upload(string collection, string text, string fileName) =>
        new(collection, Encoding.UTF8.GetBytes(text), DocumentKinds.Detect(fileName, null)!, fileName, null, []);
}
