using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

/// <summary>The encoder through Microsoft.Extensions.AI's IEmbeddingGenerator: the very vectors Rag's index and searches use.</summary>
[Collection(RealEncoderCollection.Name)]
public sealed class EmbeddingGeneratorTests(RealEncoders encoders)
{
    private const string Passage = "The harbour master keeps the tide tables in the office by the pier.";
    private const string Question = "where are the tide tables kept";

    [Fact]
    public async Task Documents_and_queries_get_the_vectors_ingestion_and_search_make()
    {
        IEmbeddingGenerator<string, Embedding<float>> documents = new RagEmbeddingGenerator(encoders.Arctic);
        IEmbeddingGenerator<string, Embedding<float>> queries = new RagEmbeddingGenerator(encoders.Arctic, EmbeddingPurpose.Query);

        var passage = await documents.GenerateAsync([Passage, Question]);
        var question = await queries.GenerateVectorAsync(Question);
        var perCall = await documents.GenerateVectorAsync(Question, new EmbeddingGenerationOptions { AdditionalProperties = new() { ["input_type"] = "query" } });

        Assert.Equal((await encoders.Arctic.EmbedAsync([Passage], CancellationToken.None))[0].Vector, passage[0].Vector.ToArray());
        var expectedQuery = (await encoders.Arctic.EmbedQueriesAsync([Question], CancellationToken.None))[0].Vector;
        Assert.Equal(expectedQuery, question.ToArray());
        Assert.Equal(expectedQuery, perCall.ToArray());
        Assert.NotEqual(passage[1].Vector.ToArray(), question.ToArray()); // the query prefix makes another input
        Assert.Equal(encoders.Arctic.ModelId, passage[0].ModelId);
        Assert.True(passage.Usage!.InputTokenCount > 10);
        var metadata = documents.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(encoders.Arctic.ModelId, metadata.DefaultModelId);
    }

    [Fact]
    public async Task A_wrong_dimension_or_input_type_is_refused_by_name()
    {
        var generator = new RagEmbeddingGenerator(encoders.MiniLm);

        var dimensions = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 768 }));
        Assert.Contains("384-dimensional vectors; 768 were asked for", dimensions.Message, StringComparison.Ordinal);
        var type = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { AdditionalProperties = new() { ["input_type"] = "image" } }));
        Assert.Contains("input_type must be 'query' or 'document'", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_registers_a_document_and_a_query_generator_over_its_encoder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rag:Models:Embedder:Path"] = RealEncoders.Folder(Rag.Engine.Models.BuiltIn.BuiltInEncoders.AllMiniLmL6V2),
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddRagEngine(configuration).BuildServiceProvider();

        var documents = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var queries = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(RagEmbeddingGenerator.QueryKey);

        Assert.IsType<RagEmbeddingGenerator>(documents);
        Assert.NotSame(documents, queries);
        Assert.Same(services.GetRequiredService<Rag.Retrieval.Vectors.ITextEmbedder>(), documents.GetService<Rag.Retrieval.Vectors.ITextEmbedder>());
    }
}
