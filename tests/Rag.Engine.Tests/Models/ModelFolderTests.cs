using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

/// <summary>A broken model folder fails at load with a message that names the file and the fault.</summary>
public sealed class ModelFolderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rag-model-" + Guid.NewGuid().ToString("N"));

    public ModelFolderTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(FixtureModels.Folder, "tiny-embedder")))
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_copied_folder_loads()
    {
        using var embedder = OnnxEmbedder.Load(_folder, FixtureModels.CpuSessions(), new EmbedderOptions());
        Assert.Equal(128, embedder.Dimensions);
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        File.Delete(Path.Combine(_folder, "model.onnx"));
        var error = Assert.Throws<ModelLoadException>(() => OnnxEmbedder.Load(_folder, FixtureModels.CpuSessions(), new EmbedderOptions()));
        Assert.Contains("model.onnx is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_named()
    {
        File.WriteAllText(Path.Combine(_folder, "model.onnx"), "not a model");
        var error = Assert.Throws<ModelLoadException>(() => OnnxEmbedder.Load(_folder, FixtureModels.CpuSessions(), new EmbedderOptions()));
        Assert.Contains("ONNX Runtime cannot load", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decoder_graph_in_an_embedder_folder_is_refused_by_its_outputs()
    {
        File.Copy(Path.Combine(FixtureModels.Folder, "tiny-decoder", "gem_filter.onnx"), Path.Combine(_folder, "model.onnx"), overwrite: true);
        // The filter graph's weights sit next to it in the decoder folder.
        File.Copy(Path.Combine(FixtureModels.Folder, "tiny-decoder", "model.onnx.data"), Path.Combine(_folder, "model.onnx.data"));
        var error = Assert.Throws<ModelLoadException>(() => OnnxEmbedder.Load(_folder, FixtureModels.CpuSessions(), new EmbedderOptions()));
        Assert.Contains("no output named \"last_hidden_state\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_that_does_not_match_the_graph_is_named()
    {
        var config = Path.Combine(_folder, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"hidden_size\": 128", "\"hidden_size\": 96", StringComparison.Ordinal));
        var error = Assert.Throws<ModelLoadException>(() => OnnxEmbedder.Load(_folder, FixtureModels.CpuSessions(), new EmbedderOptions()));
        Assert.Contains("hidden_size = 96", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_says_what_it_looked_for()
    {
        File.Delete(Path.Combine(_folder, "tokenizer.model"));
        var error = Assert.Throws<ModelLoadException>(() => OnnxEmbedder.Load(_folder, FixtureModels.CpuSessions(), new EmbedderOptions()));
        Assert.Contains("has no tokenizer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_on_a_build_without_it_fails_clearly()
    {
        var sessions = new OnnxSessions(
            Microsoft.Extensions.Options.Options.Create(new ModelOptions { ExecutionProvider = ExecutionProvider.Cuda }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<OnnxSessions>.Instance);
        var error = Assert.Throws<ModelLoadException>(() => OnnxEmbedder.Load(_folder, sessions, new EmbedderOptions()));
        Assert.Contains("-p:OnnxRuntimeGpu=true", error.Message, StringComparison.Ordinal);
    }
}
