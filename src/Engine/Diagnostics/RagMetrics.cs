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

    /// <summary>The instruments, on a meter from the host's <paramref name="meterFactory"/>.</summary>
    public RagMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _documents = meter.CreateCounter<long>("rag.ingestion.documents", "{document}", "Documents whose ingestion ended, by outcome (ready, failed).");
        _bytes = meter.CreateCounter<long>("rag.ingestion.bytes", "By", "Bytes of documents ingested successfully.");
        _ingestDuration = meter.CreateHistogram<double>("rag.ingestion.duration", "s", "Time to parse, chunk and index one document.");
        _searchDuration = meter.CreateHistogram<double>("rag.search.duration", "s", "Time to retrieve chunks for a query.");
        _askDuration = meter.CreateHistogram<double>("rag.ask.duration", "s", "Time to answer a question, retrieval included.");
        _tokensRetrieved = meter.CreateHistogram<int>("rag.ask.tokens_retrieved", "{token}", "Tokens in the chunks retrieved for an answer.");
        _tokensReturned = meter.CreateHistogram<int>("rag.ask.tokens_returned", "{token}", "Tokens of context kept for an answer.");
        _chunksEmbedded = meter.CreateCounter<long>("rag.embedding.chunks", "{chunk}", "Chunks embedded, by whether the embedder had to truncate them.");
        _abandoned = meter.CreateCounter<long>("rag.requests.abandoned", "{request}", "Requests whose client went away before the answer; their work was cancelled.");
        _rejected = meter.CreateCounter<long>("rag.admission.rejected", "{request}", "Requests refused with 429 because every slot of their kind of work was taken and the line was full.");
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

    internal void Generated(int promptTokens, int generatedTokens)
    {
        _generationTokens.Add(promptTokens, new KeyValuePair<string, object?>("kind", "prompt"));
        _generationTokens.Add(generatedTokens, new KeyValuePair<string, object?>("kind", "generated"));
    }
}
