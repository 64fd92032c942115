using Rag.Retrieval.Chunking;
using System.Numerics.Tensors;
using System.Text;
using Rag.Compression;
using Rag.Compression.Extractive;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Models;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;
using Rag.Text;

namespace Rag.Engine.Tests.Compression;

/// <summary>Unit vectors computed at ingestion, stored with the chunks, and what /ask does with them.</summary>
public sealed class StoredUnitVectorTests
{
    private const string Text =
        "The harbour was dredged in 1902 to let larger steamers in. Fishing boats still land their catch on the north quay. " +
        "A lighthouse on the headland was built in 1854 from local granite. Its lamp was converted to electricity in 1931.\n\n" +
        "The town hall clock has four faces and was a gift of the mill owners. Market day is Thursday, when the square fills with stalls. " +
        "The railway reached the town in 1871 and closed to passengers in 1964.";

    [Fact]
    public async Task Ingestion_stores_a_vector_per_sentence_and_ask_compresses_with_them_without_an_encoder_pass_over_the_context()
    {
        await using var engine = new EngineHarness();
        var id = await IngestAsync(engine, "town");
        var embedder = engine.Get<ModelHost>().Embedder!;
        var index = engine.Get<IVectorIndex>();
        var chunks = await engine.Get<IDocumentStore>().GetDocumentChunksAsync("town", id, CancellationToken.None);
        var units = await index.GetUnitsAsync("town", embedder.ModelId, [.. chunks.Select(c => new ChunkRef(id, c.Index))], CancellationToken.None);
        Assert.Equal(chunks.Count, units.Count);
        foreach (var chunk in chunks)
        {
            // The units are what the compressors split a retrieved chunk into, span for span.
            Assert.Equal(UnitSplitter.Split(chunk.Text).Select(s => (s.Start, s.Length)), units[new(id, chunk.Index)].Select(u => (u.Start, u.Length)));
        }

        var documents = embedder.DocumentTextsEmbedded;
        var queries = embedder.QueriesEmbedded;
        var result = await engine.Get<AskService>().AskAsync("town", new AskQuery(
            "In what year was the beacon tower erected?", 4, 200, [], Compression: new AskCompression(CompressionMethod.CoarseToFine, Rate: 0.35)),
            CancellationToken.None);

        Assert.Equal(0, embedder.DocumentTextsEmbedded - documents); // no sentence of the retrieved chunks went through the encoder
        Assert.Equal(1, embedder.QueriesEmbedded - queries);          // the question, once, for search and every ranking (the second hop adds vectors)
        Assert.Contains("1854", result.CompressedPrompt);
        Assert.Contains("1854", result.Citations[0].Quote);
    }

    [Fact]
    public async Task Stored_unit_vectors_are_each_units_own_pass_and_chunk_vectors_pool_them_with_title_and_section()
    {
        await using var engine = new EngineHarness();
        var id = await IngestAsync(engine, "town");
        var embedder = engine.Get<ModelHost>().Embedder!;
        var chunks = await engine.Get<IDocumentStore>().GetDocumentChunksAsync("town", id, CancellationToken.None);
        var index = engine.Get<IVectorIndex>();
        var stored = await index.GetUnitsAsync("town", embedder.ModelId, [.. chunks.Select(c => new ChunkRef(id, c.Index))], CancellationToken.None);
        var document = await engine.Get<DocumentService>().GetAsync("town", id, CancellationToken.None);

        foreach (var chunk in chunks)
        {
            var units = stored[new(id, chunk.Index)];
            // A unit's vector is the unit read alone: about that sentence or bullet only, not its neighbours.
            var alone = await embedder.EmbedAsync([.. units.Select(u => chunk.Text.Substring(u.Start, u.Length))], CancellationToken.None);
            for (var u = 0; u < units.Count; u++)
                Assert.Equal(1.0, TensorPrimitives.Dot(alone[u].Vector, units[u].Vector), 3);

            // The chunk's vector covers all of it: its units pooled with its context (the document's title and heading
            // path), so no part of a long chunk is left out and every token is embedded once.
            var context = await embedder.EmbedAsync([EmbedStep.Context(document!.Title, chunk.Section)!], CancellationToken.None);
            var pooled = Embedding.Pool([.. alone, .. context]);
            var hits = await index.SearchAsync("town", pooled.Vector, embedder.ModelId, chunks.Count, null, CancellationToken.None);
            Assert.Equal(1.0, hits.Single(h => h.ChunkIndex == chunk.Index).Score, 3);
        }

        Assert.DoesNotContain(document!.Title!, chunks[0].Text, StringComparison.Ordinal); // the caller still sees the text alone
    }

    [Fact]
    public async Task Chunk_vectors_read_whole_after_title_and_section_when_configured()
    {
        await using var engine = new EngineHarness(settings: new Dictionary<string, string?> { ["Rag:Ingestion:ChunkVectors"] = "Read" });
        var id = await IngestAsync(engine, "town");
        var embedder = engine.Get<ModelHost>().Embedder!;
        var chunks = await engine.Get<IDocumentStore>().GetDocumentChunksAsync("town", id, CancellationToken.None);
        var document = await engine.Get<DocumentService>().GetAsync("town", id, CancellationToken.None);

        var whole = await embedder.EmbedWholeAsync([chunks[0].Text], [EmbedStep.Context(document!.Title, chunks[0].Section)], null, CancellationToken.None);
        var bare = await embedder.EmbedAsync([chunks[0].Text], CancellationToken.None);
        var hits = await engine.Get<IVectorIndex>().SearchAsync("town", whole[0].Vector, embedder.ModelId, 1, null, CancellationToken.None);
        Assert.Equal(1.0, hits[0].Score, 3);
        Assert.True(TensorPrimitives.Dot(bare[0].Vector, whole[0].Vector) < 0.999, "the context changes the representation");
    }

    [Fact]
    public async Task Documents_stored_without_unit_vectors_get_them_from_the_backfill()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));
        string id;
        await using (var before = new EngineHarness(dataPath, new Dictionary<string, string?> { ["Rag:Ingestion:UnitVectors"] = "false" }))
        {
            id = await IngestAsync(before, "town", "Town history:\n\n- The harbour was dredged in 1902.\n- The railway reached the town in 1871. It closed to passengers in 1964.\n- Market day is Thursday.\n");
            var embedder = before.Get<ModelHost>().Embedder!;
            Assert.True(await before.Get<IVectorIndex>().ContainsAsync("town", id, embedder.ModelId, CancellationToken.None));
            Assert.False(await before.Get<IVectorIndex>().HasUnitsAsync("town", id, embedder.ModelId, CancellationToken.None));
        }

        await using var after = new EngineHarness(dataPath);
        await after.StartHostedServicesAsync();

        Assert.Equal(1, await after.Get<VectorBackfill>().Completion.WaitAsync(TimeSpan.FromMinutes(2)));
        var modelId = after.Get<ModelHost>().Embedder!.ModelId;
        Assert.True(await after.Get<IVectorIndex>().HasUnitsAsync("town", id, modelId, CancellationToken.None));
        // The new units: each list item whole, as the compressors and /ask split the chunk.
        var chunks = await after.Get<IDocumentStore>().GetDocumentChunksAsync("town", id, CancellationToken.None);
        var units = await after.Get<IVectorIndex>().GetUnitsAsync("town", modelId, [.. chunks.Select(c => new ChunkRef(id, c.Index))], CancellationToken.None);
        foreach (var chunk in chunks)
            Assert.Equal(UnitSplitter.Split(chunk.Text).Select(s => (s.Start, s.Length)), units[new(id, chunk.Index)].Select(u => (u.Start, u.Length)));
        Assert.Contains(chunks, c => units[new(id, c.Index)].Any(u => c.Text.Substring(u.Start, u.Length) == "- The railway reached the town in 1871. It closed to passengers in 1964."));
    }

    private static async Task<string> IngestAsync(EngineHarness engine, string collection, string text = Text)
    {
        var (record, _) = await engine.Get<DocumentService>().AddAsync(
            new DocumentUpload(collection, Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), "town.txt", "Town", []), CancellationToken.None);
        await engine.DrainAsync();
        return record.Id;
    }
}
