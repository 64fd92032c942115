using System.Diagnostics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Rag.Compression;
using Rag.Contracts;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Retrieval.Parsing;

namespace Rag.Engine.Tests;

/// <summary>The pipeline's own spans, exported by OpenTelemetry's in-memory exporter for one ingestion and one /ask.</summary>
public sealed class TracingTests
{
    private static readonly ActivitySource Test = new("Rag.Tests.Tracing");

    [Fact]
    public async Task One_answer_is_traced_as_retrieve_compress_prefill_and_decode_with_the_figures_it_returned()
    {
        List<Activity> exported = [];
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(RagTracing.SourceName, Test.Name)
            .AddInMemoryExporter(exported)
            .Build();
        await using var engine = new EngineHarness(settings: new()
        {
            ["Rag:Models:Decoder:Path"] = Path.Combine(Models.FixtureModels.Folder, "tiny-decoder"),
            ["Rag:Models:Embedder:Path"] = Path.Combine(Models.FixtureModels.Folder, "tiny-embedder"),
            ["Rag:Generation:MaxTokens"] = "8",
        });

        AskResult answer;
        ActivityTraceId trace;
        using (var root = Test.StartActivity("test"))
        {
            trace = root!.TraceId;
            var text = "# Tides\n\nHigh water at the north pier comes forty minutes after high water at the river mouth.\n\n" +
                "# Lighthouse\n\nThe lighthouse was built in 1854 by the harbour board. Its lamp is lit at dusk.";
            await engine.Get<DocumentService>().AddAsync(
                new DocumentUpload("traces", Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Markdown), "t.md", null, []), CancellationToken.None);
            await engine.DrainAsync();
            answer = await engine.Get<AskService>().AskAsync("traces",
                new AskQuery("When was the lighthouse built?", 5, 64, [], Compression: new AskCompression(CompressionMethod.CoarseToFine, Rate: 0.5)),
                CancellationToken.None);
        }

        // Other tests' engines trace in this process too: this test's spans are the ones in its own trace.
        List<Activity> spans;
        lock (exported)
            spans = [.. exported.Where(a => a.TraceId == trace && a.Source.Name == RagTracing.SourceName)];
        Activity Span(string name) => Assert.Single(spans, s => s.OperationName == name);
        object? Tag(Activity span, string key) => span.TagObjects.Single(t => t.Key == key).Value;

        var ingest = Span("rag.ingest");
        Assert.Equal("traces", Tag(ingest, "rag.collection"));
        foreach (var step in new[] { "rag.ingest.parse", "rag.ingest.chunk", "rag.ingest.index", "rag.ingest.embed" })
            Assert.Equal(ingest.SpanId, Span(step).ParentSpanId);
        Assert.Equal(Tag(ingest, "rag.chunks"), Tag(Span("rag.ingest.chunk"), "rag.chunks"));

        var ask = Span("rag.ask");
        foreach (var step in new[] { "rag.retrieve", "rag.compress", "rag.prefill", "rag.decode" })
            Assert.Equal(ask.SpanId, Span(step).ParentSpanId);
        Assert.Equal("generative", Tag(ask, "rag.answer.mode"));
        Assert.Equal(answer.Figures.TokensRetrieved, Tag(ask, "rag.tokens.retrieved"));
        Assert.Equal(answer.Figures.ChunksRetrieved, Tag(Span("rag.retrieve"), "rag.chunks"));

        var compress = Span("rag.compress");
        Assert.Equal("coarse_to_fine", Tag(compress, "rag.compression.method"));
        Assert.Equal(answer.Figures.Compression!.OriginTokens, Tag(compress, "rag.compression.origin_tokens"));
        Assert.Equal(answer.Figures.Compression.CompressedTokens, Tag(compress, "rag.compression.compressed_tokens"));

        var generation = answer.Figures.Generation!;
        Assert.Equal(generation.PromptTokens, Tag(Span("rag.prefill"), "rag.prefill.tokens"));
        Assert.Equal(generation.GeneratedTokens, Tag(Span("rag.decode"), "rag.decode.tokens"));
        // Decode follows prefill, inside the answer's span.
        Assert.True(Span("rag.decode").StartTimeUtc >= Span("rag.prefill").StartTimeUtc + Span("rag.prefill").Duration - TimeSpan.FromMilliseconds(1));
        Assert.True(Span("rag.decode").StartTimeUtc + Span("rag.decode").Duration <= ask.StartTimeUtc + ask.Duration + TimeSpan.FromMilliseconds(1));

        // Figures, never text: no attribute holds the question or the document.
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), t => t.Value is string v && v.Contains("lighthouse", StringComparison.OrdinalIgnoreCase));
    }
}
