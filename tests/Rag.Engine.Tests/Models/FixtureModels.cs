using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

/// <summary>The committed fixture models, loaded once for a test class through the engine's own loaders.</summary>
public sealed class FixtureModels : IDisposable
{
    public static readonly string Folder = Path.Combine(Rag.Tests.Shared.TestFiles.RepositoryRoot(), "models");

    public FixtureModels()
    {
        Sessions = CpuSessions();
        Decoder = OnnxDecoder.Load(Path.Combine(Folder, "tiny-decoder"), Sessions, new DecoderOptions());
        Embedder = OnnxEmbedder.Load(Path.Combine(Folder, "tiny-embedder"), Sessions, new EmbedderOptions { BatchSize = 8 });
    }

    public OnnxSessions Sessions { get; }

    public OnnxDecoder Decoder { get; }

    public OnnxEmbedder Embedder { get; }

    public static OnnxSessions CpuSessions() =>
        new(Options.Create(new ModelOptions { ExecutionProvider = ExecutionProvider.Cpu }), NullLogger<OnnxSessions>.Instance);

    public void Dispose()
    {
        Decoder.Dispose();
        Embedder.Dispose();
    }
}
