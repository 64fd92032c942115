using Rag.Engine.Models;
using Rag.Engine.Models.BuiltIn;

namespace Rag.Engine.Tests.Models;

/// <summary>
/// The two built-in encoders, written (once per machine, into a folder every test process shares)
/// and loaded once for the whole test run.
/// </summary>
public sealed class RealEncoders : IDisposable
{
    /// <summary>Where test processes keep the built-in model folders (the Api tests' servers use it too).</summary>
    public static readonly string SharedFolder = Path.Combine(Path.GetTempPath(), "rag-tests", "models");

    public RealEncoders()
    {
        var sessions = FixtureModels.CpuSessions();
        Arctic = OnnxEmbedder.Load(Folder(BuiltInEncoders.ArcticEmbedXs), sessions, new EmbedderOptions());
        MiniLm = OnnxEmbedder.Load(Folder(BuiltInEncoders.AllMiniLmL6V2), sessions, new EmbedderOptions());
    }

    public OnnxEmbedder Arctic { get; }

    public OnnxEmbedder MiniLm { get; }

    public static string Folder(string name) => BuiltInModelFolders.Ensure(BuiltInEncoders.Find(name)!, SharedFolder);

    public void Dispose()
    {
        Arctic.Dispose();
        MiniLm.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RealEncoderCollection : ICollectionFixture<RealEncoders>
{
    public const string Name = "real encoders";
}
