using System.Diagnostics.Metrics;
using System.Text;
using Rag.Engine.Answers;
using Rag.Engine.Diagnostics;
using Rag.Engine.Documents;
using Rag.Retrieval.Parsing;

namespace Rag.Engine.Tests;

public sealed class MetricsTests : IAsyncLifetime
{
    private readonly EngineHarness _engine = new();
    private readonly List<(string Instrument, double Value, string? Tag)> _measurements = [];
    private readonly MeterListener _listener = new();

    public Task InitializeAsync()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // This engine's meter only (made by its IMeterFactory): other tests' engines in this process measure too.
            if (instrument.Meter.Name == RagMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, _engine.Get<IMeterFactory>()))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Ingestion_and_answers_are_recorded_as_metrics_with_the_figures_returned()
    {
        var text = "# Tides\n\nHigh water at the north pier comes forty minutes after the river mouth.";
        await _engine.Get<DocumentService>().AddAsync(
            new DocumentUpload("metrics", Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Markdown), "t.md", null, []), CancellationToken.None);
        await _engine.Get<DocumentService>().AddAsync(
            new DocumentUpload("metrics", new byte[] { 0xff, 0x00 }, new DocumentKind(DocumentFormat.Text), "bad.txt", null, []), CancellationToken.None);
        await _engine.DrainAsync();

        var answer = await _engine.Get<AskService>().AskAsync("metrics", new AskQuery("When is high water at the north pier?", 5, 64, []), CancellationToken.None);

        lock (_measurements)
        {
            Assert.Contains(("rag.ingestion.documents", 1.0, "ready"), _measurements);
            Assert.Contains(("rag.ingestion.documents", 1.0, "failed"), _measurements);
            Assert.Contains(("rag.ingestion.bytes", Encoding.UTF8.GetByteCount(text), null), _measurements);
            Assert.Contains(("rag.ask.tokens_retrieved", answer.Figures.TokensRetrieved, "extractive"), _measurements);
            Assert.Contains(("rag.ask.tokens_returned", answer.Figures.TokensReturned, "extractive"), _measurements);
            Assert.Contains(_measurements, m => m.Instrument == "rag.ask.duration" && m.Value > 0);
            Assert.Contains(_measurements, m => m.Instrument == "rag.search.duration");
        }
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var tag = tags.Length > 0 ? tags[0].Value as string : null;
        lock (_measurements)
            _measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), tag));
    }
}
