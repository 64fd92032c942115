using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

public sealed class ModelIdentityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rag-identity-").FullName;

    [Fact]
    public void Refitting_the_fusion_weights_keeps_the_id_and_a_pooling_change_does_not()
    {
        var fitted = Id("a", """{"hidden_size": 384, "pooling": "cls", "hybrid_dense_weight": 0.85, "hybrid_lexical_gap_weight": 0.75}""");
        var refitted = Id("b", """{"hidden_size": 384, "pooling": "cls", "hybrid_dense_weight": 0.6, "hybrid_lexical_gap_weight": 0.5}""");
        var repooled = Id("c", """{"hidden_size": 384, "pooling": "mean", "hybrid_dense_weight": 0.85, "hybrid_lexical_gap_weight": 0.75}""");

        // Stored vectors carry the id: a new fusion weight must not make them look like another model's.
        Assert.Equal(fitted, refitted);
        Assert.NotEqual(fitted, repooled);
    }

    /// <summary>The hash part of the id of a folder holding this config and the same model bytes.</summary>
    private string Id(string name, string config)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), config);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), [1, 2, 3, 4]);
        return ModelIdentity.Of(folder, Path.Combine(folder, "model.onnx")).Split('@')[1];
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
