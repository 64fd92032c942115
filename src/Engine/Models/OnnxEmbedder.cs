using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Models;

/// <summary>
/// A sentence encoder in the BERT layout (<c>input_ids</c>, <c>attention_mask</c>, optional
/// <c>token_type_ids</c> → <c>last_hidden_state</c>), with the folder's query and document prefixes: the
/// <see cref="EmbedderInput"/> (what the model reads for a text), the <see cref="EmbedderScheduler"/> (one run at a
/// time, queries first, document texts batched by length across callers) and the <see cref="EmbedderSession"/> (the
/// ONNX run and its pooling). Padding is masked, so a text's vector does not depend on its batch.
/// </summary>
public sealed class OnnxEmbedder : ITextEmbedder, IDisposable
{
    private readonly EmbedderInput _input;
    private readonly EmbedderSession _session;
    private readonly EmbedderScheduler _scheduler;

    private OnnxEmbedder(string folder, ModelConfig config, Tokenizer tokenizer, InferenceSession session, EmbedderOptions options)
    {
        Config = config;
        Tokenizer = tokenizer;
        ModelId = $"{ModelIdentity.Of(folder, Path.Combine(folder, "model.onnx"))}+{Representation}";
        Pooling = config.Pooling;
        MaxTokens = config.MaxTokens;
        _input = new EmbedderInput(config, tokenizer);
        _session = new EmbedderSession(session, config);
        _scheduler = new EmbedderScheduler(_session.RunBatch, options, $"embedder {ModelId}");
    }

    /// <summary>The model's config.json.</summary>
    public ModelConfig Config { get; }

    /// <inheritdoc/>
    public Tokenizer Tokenizer { get; }

    /// <inheritdoc/>
    public string ModelId { get; }

    /// <inheritdoc/>
    public int Dimensions => Config.HiddenSize;

    /// <inheritdoc/>
    public double? HybridDenseWeight => Config.HybridDenseWeight;

    /// <inheritdoc/>
    public double? HybridLexicalGapWeight => Config.HybridLexicalGapWeight;

    /// <inheritdoc/>
    public double? HybridUnitShare => Config.HybridUnitShare;

    /// <inheritdoc/>
    public double? SentenceDenseWeight => Config.SentenceDenseWeight;

    /// <summary>How token states become the text's vector (config.json's <c>pooling</c>).</summary>
    public Pooling Pooling { get; }

    /// <inheritdoc/>
    public int MaxTokens { get; }

    /// <summary>Document texts asked for so far.</summary>
    public long DocumentTextsEmbedded => _scheduler.DocumentTextsEmbedded;

    /// <summary>Queries asked for so far.</summary>
    public long QueriesEmbedded => _scheduler.QueriesEmbedded;

    /// <summary>Model runs so far.</summary>
    public long BatchesRun => _session.BatchesRun;

    /// <summary>Tokens read so far (padding not counted).</summary>
    public long TokensEmbedded => _session.TokensEmbedded;

    /// <summary>Time spent in model runs so far.</summary>
    public TimeSpan BusyTime => _session.BusyTime;

    /// <summary>Loads the encoder in <paramref name="folder"/> (model.onnx, vocab, config.json), checking its inputs and outputs.</summary>
    public static OnnxEmbedder Load(string folder, OnnxSessions sessions, EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        var (config, tokenizer, session) = ModelFolder.Open(folder, "Embedder", sessions, ModelLayout.CheckEmbedder);
        try
        {
            _ = config.Pooling; // a bad "pooling" stops the load, not the first request
            return new OnnxEmbedder(folder, config, tokenizer, session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Embedding>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Enqueue(texts, Config.DocumentPrefix, queries: false, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Embedding>> EmbedQueriesAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken) =>
        Enqueue(queries, Config.QueryPrefix, queries: true, cancellationToken);

    /// <summary>
    /// Embeds document texts and, from the same pass, their spans (late chunking, Jina AI 2024): each text's
    /// vector as <see cref="EmbedAsync"/> makes it, and each span (character offsets into the text) the mean of
    /// the states of the tokens it overlaps, L2 normalised — a sentence read in its chunk's context, for no
    /// second pass. A span past the model's window, or every span of an encoder that is not WordPiece, gets
    /// null in <see cref="Embedding.Spans"/>: the caller embeds those on their own.
    /// </summary>
    public Task<IReadOnlyList<Embedding>> EmbedWithSpansAsync(
        IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<(int Start, int End)>> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count != texts.Count)
            throw new ArgumentException("One list of spans per text.", nameof(spans));
        // A text without spans is read exactly as EmbedAsync reads it.
        return _scheduler.EnqueueAsync(
            [.. texts.Select((t, i) => spans[i].Count == 0 ? _input.Encode(t, Config.DocumentPrefix) : _input.EncodeWithSpans(t, Config.DocumentPrefix, spans[i]))], queries: false, cancellationToken);
    }

    /// <summary>
    /// What every vector of this encoder's documents is made of, beside the weights: units that follow the document's
    /// structure (<c>UnitSplitter</c>), and chunk vectors that cover the whole chunk with its title and heading path. Part of
    /// <see cref="ModelId"/>, so documents embedded the earlier way are embedded again by the re-index job.
    /// </summary>
    public const string Representation = "units-r2";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Embedding>> EmbedWholeAsync(
        IReadOnlyList<string> texts, IReadOnlyList<string?> contexts, IReadOnlyList<IReadOnlyList<(int Start, int End)>>? spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(contexts);
        if (contexts.Count != texts.Count || (spans is not null && spans.Count != texts.Count))
            throw new ArgumentException("One context (and one list of spans) per text.", nameof(contexts));
        // Each text's windows, read after its context: one request, so the queue batches windows of every text by length.
        // A span inside a window is pooled from that window's pass; the window's text starts with the context.
        var windows = new List<EncodedText>(texts.Count);
        var first = new int[texts.Count + 1]; // text i's windows are [first[i], first[i + 1])
        var pooledIn = new List<(int Window, int Index)[]>(texts.Count); // per text, per span: where its vector is (-1: nowhere)
        for (var i = 0; i < texts.Count; i++)
        {
            first[i] = windows.Count;
            var context = contexts[i] is { Length: > 0 } c ? c + "\n\n" : "";
            var wanted = spans?[i] ?? [];
            var where = new (int Window, int Index)[wanted.Count];
            Array.Fill(where, (-1, -1));
            foreach (var (start, end) in _input.Windows(texts[i], context))
            {
                var inside = new List<(int Start, int End)>();
                for (var s = 0; s < wanted.Count; s++)
                {
                    if (wanted[s].Start >= start && wanted[s].End <= end)
                    {
                        where[s] = (windows.Count, inside.Count);
                        inside.Add((wanted[s].Start - start + context.Length, wanted[s].End - start + context.Length));
                    }
                }

                var window = context + texts[i][start..end];
                windows.Add(inside.Count == 0 ? _input.Encode(window, Config.DocumentPrefix) : _input.EncodeWithSpans(window, Config.DocumentPrefix, inside));
            }

            pooledIn.Add(where);
        }

        first[texts.Count] = windows.Count;
        var read = await _scheduler.EnqueueAsync([.. windows], queries: false, cancellationToken);
        var results = new Embedding[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var whole = Embedding.Pool([.. read.Skip(first[i]).Take(first[i + 1] - first[i]).Select(e => e with { Spans = null })]);
            results[i] = spans is null ? whole : whole with { Spans = [.. pooledIn[i].Select(w => w.Window < 0 ? null : read[w.Window].Spans?[w.Index])] };
        }

        return results;
    }

    /// <summary>The token ids the model reads for <paramref name="text"/> (prefix and special tokens included, truncated to <see cref="MaxTokens"/>).</summary>
    internal EncodedText Encode(string text, string prefix) => _input.Encode(text, prefix);

    /// <summary>
    /// Late chunking on the caller's thread, beside the worker's queue (the bench's measurements): the span
    /// vectors <see cref="EmbedWithSpansAsync"/> makes for one text; a span it leaves to a pass of its own is zero.
    /// </summary>
    internal float[][] EmbedSpansLate(string text, IReadOnlyList<(int Start, int End)> spans)
    {
        var encoded = _input.EncodeWithSpans(text, Config.DocumentPrefix, spans);
        var (_, pooled) = _session.RunBatch([encoded])[0];
        return [.. (pooled ?? new float[]?[spans.Count]).Select(v => v ?? new float[Dimensions])];
    }

    private Task<IReadOnlyList<Embedding>> Enqueue(IReadOnlyList<string> texts, string prefix, bool queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return _scheduler.EnqueueAsync([.. texts.Select(t => _input.Encode(t, prefix))], queries, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _scheduler.Dispose();
        _session.Dispose();
    }
}
