using System.Diagnostics.Metrics;
using Rag.Engine.Answers;

namespace Rag.Engine.Diagnostics;

/// <summary>
/// The pipeline's figures as metrics on the <c>Rag</c> meter: what was ingested and how long it
/// took, and for every answer the tokens retrieved and kept. Read them with any
/// <see cref="MeterListener"/> (dotnet-counters, OpenTelemetry).
/// </summary>
public sealed class RagMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Rag";

    /// <summary>Bucket boundaries for durations in seconds, from a few milliseconds (a search) to minutes (a large document).</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    };

    private readonly Counter<long> _documents;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _ingestDuration;
    private readonly Histogram<double> _searchDuration;
    private readonly Histogram<double> _askDuration;
    private readonly Histogram<int> _tokensRetrieved;
    private readonly Histogram<int> _tokensReturned;
    private readonly Counter<long> _chunksEmbedded;
    private readonly Counter<long> _generationTokens;
    private readonly Counter<long> _abandoned;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _compressionTokens;
    private readonly Histogram<double> _compressionDuration;

    /// <summary>The instruments, on a meter from the host's <paramref name="meterFactory"/>.</summary>
    public RagMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _documents = meter.CreateCounter<long>("rag.ingestion.documents", "{document}", "Documents whose ingestion ended, by outcome (ready, failed).");
        _bytes = meter.CreateCounter<long>("rag.ingestion.bytes", "By", "Bytes of documents ingested successfully.");
        _ingestDuration = meter.CreateHistogram<double>("rag.ingestion.duration", "s", "Time to parse, chunk and index one document.", tags: null, advice: Seconds);
        _searchDuration = meter.CreateHistogram<double>("rag.search.duration", "s", "Time to retrieve chunks for a query.", tags: null, advice: Seconds);
        _askDuration = meter.CreateHistogram<double>("rag.ask.duration", "s", "Time to answer a question, retrieval included.", tags: null, advice: Seconds);
        _tokensRetrieved = meter.CreateHistogram<int>("rag.ask.tokens_retrieved", "{token}", "Tokens in the chunks retrieved for an answer.");
        _tokensReturned = meter.CreateHistogram<int>("rag.ask.tokens_returned", "{token}", "Tokens of context kept for an answer.");
        _chunksEmbedded = meter.CreateCounter<long>("rag.embedding.chunks", "{chunk}", "Chunks embedded, by whether the embedder had to truncate them.");
        _abandoned = meter.CreateCounter<long>("rag.requests.abandoned", "{request}", "Requests whose client went away before the answer; their work was cancelled.");
        _rejected = meter.CreateCounter<long>("rag.admission.rejected", "{request}", "Requests refused with 429 because every slot of their kind of work was taken and the line was full.");
        _compressionTokens = meter.CreateCounter<long>("rag.compression.tokens", "{token}", "Tokens through compression, by kind (origin, compressed) and method.");
        _compressionDuration = meter.CreateHistogram<double>("rag.compression.duration", "s", "Time to compress one prompt, by method.", tags: null, advice: Seconds);
        _generationTokens = meter.CreateCounter<long>("rag.generation.tokens", "{token}", "Tokens through the decoder when answering, by kind (prompt, generated).");
    }

    internal void DocumentIngested(string outcome, long bytes, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _documents.Add(1, tag);
        if (outcome == "ready")
        {
            _bytes.Add(bytes);
            _ingestDuration.Record(elapsed.TotalSeconds);
        }
    }

    internal void Searched(Search.SearchMode mode, TimeSpan elapsed) =>
        _searchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("mode", mode.ToString().ToLowerInvariant()));

    internal void Answered(string mode, AnswerFigures figures, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("mode", mode);
        _askDuration.Record(elapsed.TotalSeconds, tag);
        _tokensRetrieved.Record(figures.TokensRetrieved, tag);
        _tokensReturned.Record(figures.TokensReturned, tag);
    }

    /// <summary>A request ended because its client went away.</summary>
    public void RequestAbandoned(string endpoint) => _abandoned.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    /// <summary>A request was refused admission for <paramref name="kind"/> work.</summary>
    public void WorkRejected(Admission.WorkKind kind) => _rejected.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    internal void ChunksEmbedded(int count, int truncated)
    {
        _chunksEmbedded.Add(count - truncated, new KeyValuePair<string, object?>("truncated", false));
        if (truncated > 0)
            _chunksEmbedded.Add(truncated, new KeyValuePair<string, object?>("truncated", true));
    }

    /// <summary>A prompt was compressed: its tokens before and after, and the time it took.</summary>
    public void Compressed(string method, int originTokens, int compressedTokens, TimeSpan elapsed)
    {
        var byMethod = new KeyValuePair<string, object?>("method", method);
        _compressionTokens.Add(originTokens, new KeyValuePair<string, object?>("kind", "origin"), byMethod);
        _compressionTokens.Add(compressedTokens, new KeyValuePair<string, object?>("kind", "compressed"), byMethod);
        _compressionDuration.Record(elapsed.TotalSeconds, byMethod);
    }

    internal void Generated(int promptTokens, int generatedTokens)
    {
        _generationTokens.Add(promptTokens, new KeyValuePair<string, object?>("kind", "prompt"));
        _generationTokens.Add(generatedTokens, new KeyValuePair<string, object?>("kind", "generated"));
    }
}
