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
        var chunks = await engine.Get<IDocumentStore>().GetChunksAsync("town", id, CancellationToken.None);
        var units = await index.GetUnitsAsync("town", embedder.ModelId, [.. chunks.Select(c => (id, c.Index))], CancellationToken.None);
        Assert.Equal(chunks.Count, units.Count);
        foreach (var chunk in chunks)
        {
            // The units are the sentences the compressors split a retrieved chunk into, span for span.
            Assert.Equal(SentenceSplitter.Split(chunk.Text).Select(s => (s.Start, s.Length)), units[(id, chunk.Index)].Select(u => (u.Start, u.Length)));
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
    public async Task Stored_unit_vectors_are_the_sentences_pooled_from_their_chunks_own_pass()
    {
        await using var engine = new EngineHarness();
        var id = await IngestAsync(engine, "town");
        var embedder = engine.Get<ModelHost>().Embedder!;
        var chunks = await engine.Get<IDocumentStore>().GetChunksAsync("town", id, CancellationToken.None);
        var stored = await engine.Get<IVectorIndex>().GetUnitsAsync("town", embedder.ModelId, [.. chunks.Select(c => (id, c.Index))], CancellationToken.None);

        foreach (var chunk in chunks)
        {
            var units = stored[(id, chunk.Index)];
            // Late chunking: one pass over the chunk, each sentence the mean of its tokens' states — read in context,
            // so not the vector the sentence gets alone.
            var late = embedder.EmbedSpansLate(chunk.Text, [.. units.Select(u => (u.Start, u.Length))]);
            var alone = await embedder.EmbedAsync([.. units.Select(u => chunk.Text.Substring(u.Start, u.Length))], CancellationToken.None);
            for (var u = 0; u < units.Count; u++)
            {
                Assert.Equal(1.0, TensorPrimitives.Dot(late[u], units[u].Vector), 3);
                Assert.True(TensorPrimitives.Dot(alone[u].Vector, units[u].Vector) < 0.999, "a sentence pooled in its chunk differs from the sentence alone");
            }
        }
    }

    [Fact]
    public async Task Documents_stored_without_unit_vectors_get_them_from_the_backfill()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));
        string id;
        await using (var before = new EngineHarness(dataPath, new Dictionary<string, string?> { ["Rag:Ingestion:UnitVectors"] = "false" }))
        {
            id = await IngestAsync(before, "town");
            var embedder = before.Get<ModelHost>().Embedder!;
            Assert.True(await before.Get<IVectorIndex>().ContainsAsync("town", id, embedder.ModelId, CancellationToken.None));
            Assert.False(await before.Get<IVectorIndex>().HasUnitsAsync("town", id, embedder.ModelId, CancellationToken.None));
        }

        await using var after = new EngineHarness(dataPath);
        await after.StartHostedServicesAsync();

        Assert.Equal(1, await after.Get<VectorBackfill>().Completion.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.True(await after.Get<IVectorIndex>().HasUnitsAsync("town", id, after.Get<ModelHost>().Embedder!.ModelId, CancellationToken.None));
    }

    private static async Task<string> IngestAsync(EngineHarness engine, string collection)
    {
        var (record, _) = await engine.Get<DocumentService>().AddAsync(
            new DocumentUpload(collection, Encoding.UTF8.GetBytes(Text), new DocumentKind(DocumentFormat.Text), "town.txt", "Town", []), CancellationToken.None);
        await engine.DrainAsync();
        return record.Id;
    }
}
