using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Search;
using Rag.Engine.Tests.Models;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Tests.Search;

public sealed class VectorBackfillTests
{
    [Fact]
    public async Task Documents_ingested_before_an_embedder_was_configured_get_vectors_at_the_next_start()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"));
        string[] ids;
        await using (var lexicalOnly = new EngineHarness(dataPath, new Dictionary<string, string?> { ["Rag:Models:Embedder:Name"] = "none" }))
        {
            var documents = lexicalOnly.Get<DocumentService>();
            ids = new string[HybridSearchTests.Corpus.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                var (name, text) = HybridSearchTests.Corpus[i];
                var (record, _) = await documents.AddAsync(
                    new DocumentUpload("later", System.Text.Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), name, name, ["t"]), CancellationToken.None);
                ids[i] = record.Id;
            }

            await lexicalOnly.DrainAsync();
            Assert.Equal(SearchMode.Lexical, lexicalOnly.Get<SearchService>().DefaultMode);
            Assert.False(lexicalOnly.Get<SearchService>().Supports(SearchMode.Dense));
        }

        await using var withEmbedder = new EngineHarness(dataPath, new Dictionary<string, string?>
        {
            ["Rag:Models:Embedder:Path"] = Path.Combine(FixtureModels.Folder, "tiny-embedder"),
        });
        var embedder = withEmbedder.Get<Rag.Engine.Models.ModelHost>().Embedder!;
        var index = withEmbedder.Get<IVectorIndex>();
        foreach (var id in ids)
            Assert.False(await index.ContainsAsync("later", id, embedder.ModelId, CancellationToken.None));

        await withEmbedder.StartHostedServicesAsync();
        var embedded = await withEmbedder.Get<VectorBackfill>().Completion.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(ids.Length, embedded);
        foreach (var id in ids)
            Assert.True(await index.ContainsAsync("later", id, embedder.ModelId, CancellationToken.None));
        var dense = await withEmbedder.Get<SearchService>().SearchAsync("later", new SearchQuery("readlines", 3, ["t"], SearchMode.Dense), CancellationToken.None);
        Assert.NotEmpty(dense.Results);

        // A second pass finds nothing left to do.
        var again = new VectorBackfill(withEmbedder.Get<Rag.Retrieval.Stores.IDocumentStore>(), withEmbedder.Get<IngestionPipeline>(),
            withEmbedder.Get<Rag.Engine.Models.ModelHost>().Embedder, Microsoft.Extensions.Logging.Abstractions.NullLogger<VectorBackfill>.Instance);
        await again.StartAsync(CancellationToken.None);
        Assert.Equal(0, await again.Completion.WaitAsync(TimeSpan.FromMinutes(1)));
    }
}
