namespace Rag.Api.Tests.BadInputs;

/// <summary>
/// The service with the fixture models and two API keys, under small limits so that every limit can be
/// reached cheaply: 100k characters of context, 256 KiB JSON bodies, 64 output tokens, one generation
/// at a time with one more waiting.
/// </summary>
public sealed class HostileFixture : IAsyncLifetime
{
    public const string KeyA = "hostile-a-0123456789abcdef";
    public const string KeyB = "hostile-b-0123456789abcdef";

    /// <summary>A document whose text looks like the compressor's own markup.</summary>
    public const string KeepTagged =
        "# Keeper's log\n\nThe keeper logs the <keep>storm</keep> at dawn. A stray </keep> closes nothing.\n\n"
        + "The lighthouse <keep> stands on the northern cliff, and the keeper logs every passing ship.\n";

    public RagServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = ModelServiceFixture.Models;
        Server = await RagServer.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "a",
            ["Auth:ApiKeys:0:Key"] = KeyA,
            ["Auth:ApiKeys:0:Collections:0"] = "hostile",
            ["Auth:ApiKeys:0:Collections:1"] = "iso-a",
            ["Auth:ApiKeys:1:Name"] = "b",
            ["Auth:ApiKeys:1:Key"] = KeyB,
            ["Auth:ApiKeys:1:Collections:0"] = "iso-b",
            ["Rag:Models:Decoder:Path"] = Path.Combine(models, "tiny-decoder"),
            ["Rag:Models:Embedder:Path"] = Path.Combine(models, "tiny-embedder"),
            ["Rag:Generation:MaxTokens"] = "16",
            ["Rag:Limits:MaxContextCharacters"] = "100000",
            ["Rag:Limits:MaxRequestBytes"] = "262144",
            ["Rag:Limits:MaxOutputTokens"] = "64",
            ["Rag:Limits:Generation:MaxConcurrent"] = "1",
            ["Rag:Limits:Generation:MaxQueued"] = "1",
            ["Rag:Chunking:MaxTokens"] = "128",
            ["Rag:Chunking:OverlapTokens"] = "16",
        });
        using var client = Server.Client(KeyA);
        var ready = await client.IngestAsync("hostile", "keeper.md", Documents.Utf8(KeepTagged));
        Assert.Equal("ready", ready["state"].Text());
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
