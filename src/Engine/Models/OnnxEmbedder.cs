using System.Diagnostics;
using System.Numerics.Tensors;
using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Vectors;
using Rag.Text;

namespace Rag.Engine.Models;

/// <summary>
/// A sentence encoder in the BERT layout (<c>input_ids</c>, <c>attention_mask</c>, optional
/// <c>token_type_ids</c> → <c>last_hidden_state</c>), pooled as its config.json says (<c>pooling</c>:
/// mean over the real tokens, or the [CLS] state), L2 normalised, with the folder's query and document
/// prefixes. A WordPiece folder gets BERT's [CLS] … [SEP] framing.
/// <para>
/// One model run at a time, on all of ONNX Runtime's threads: requests from concurrent callers (two
/// documents being ingested, a search) wait in two queues, and each run takes queries first, then up to
/// <see cref="EmbedderOptions.BatchSize"/> document texts across the waiting documents, sorted by length
/// so padding stays small. Padding is masked, so a text's vector does not depend on its batch.
/// </para>
/// </summary>
public sealed class OnnxEmbedder : ITextEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly EmbedderOptions _options;
    private readonly bool _hasTokenTypes;
    private readonly BertTokenizer? _bert;
    private readonly Channel<Request> _queries = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Request> _documents = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _disposed = new();
    private readonly RunOptions _run = new();
    private readonly Thread _worker;
    private long _documentTexts;
    private long _queryTexts;
    private long _batches;
    private long _tokens;
    private long _busyTicks;

    private OnnxEmbedder(string folder, ModelConfig config, Tokenizer tokenizer, InferenceSession session, EmbedderOptions options)
    {
        Config = config;
        Tokenizer = tokenizer;
        _bert = tokenizer as BertTokenizer;
        _session = session;
        _options = options;
        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        ModelId = $"{ModelIdentity.Of(folder, Path.Combine(folder, "model.onnx"))}+{Representation}";
        Pooling = config.Pooling;
        MaxTokens = config.MaxTokens;
        _worker = new Thread(RunLoop) { IsBackground = true, Name = $"embedder {ModelId}" };
        _worker.Start();
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

    /// <summary>How token states become one vector.</summary>
    public Pooling Pooling { get; }

    /// <summary>Most tokens the model reads of one text, special tokens and prefix included.</summary>
    public int MaxTokens { get; }

    /// <summary>Document texts (chunks, units, sentences) handed to the model since it was loaded.</summary>
    public long DocumentTextsEmbedded => Interlocked.Read(ref _documentTexts);

    /// <summary>Queries handed to the model since it was loaded.</summary>
    public long QueriesEmbedded => Interlocked.Read(ref _queryTexts);

    /// <summary>Batches the model has run since it was loaded.</summary>
    public long BatchesRun => Interlocked.Read(ref _batches);

    /// <summary>Tokens the model has read since it was loaded (padding not counted).</summary>
    public long TokensEmbedded => Interlocked.Read(ref _tokens);

    /// <summary>Time the model has spent running batches since it was loaded.</summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

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
        Enqueue(texts, Config.DocumentPrefix, _documents, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Embedding>> EmbedQueriesAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken) =>
        Enqueue(queries, Config.QueryPrefix, _queries, cancellationToken);

    /// <summary>
    /// Embeds document texts and, from the same pass, their spans (late chunking, Jina AI 2024): each text's
    /// vector as <see cref="EmbedAsync"/> makes it, and each span (character offsets into the text) the mean of
    /// the states of the tokens it overlaps, L2 normalised — a sentence read in its chunk's context, for no
    /// second pass. A span past the model's window, or every span of an encoder that is not WordPiece, gets
    /// null in <see cref="Embedding.Spans"/>: the caller embeds those on their own.
    /// </summary>
    public Task<IReadOnlyList<Embedding>> EmbedWithSpansAsync(
        IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<(int Start, int Length)>> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count != texts.Count)
            throw new ArgumentException("One list of spans per text.", nameof(spans));
        // A text without spans is read exactly as EmbedAsync reads it.
        return Enqueue(
            [.. texts.Select((t, i) => spans[i].Count == 0 ? Encode(t, Config.DocumentPrefix) : EncodeWithSpans(t, Config.DocumentPrefix, spans[i]))], _documents, cancellationToken);
    }

    /// <summary>
    /// What every vector of this encoder's documents is made of, beside the weights: units that follow the document's
    /// structure (<c>UnitSplitter</c>), and chunk vectors that cover the whole chunk with its title and heading path. Part of
    /// <see cref="ModelId"/>, so documents embedded the earlier way are embedded again by the re-index job.
    /// </summary>
    public const string Representation = "units-r2";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Embedding>> EmbedWholeAsync(
        IReadOnlyList<string> texts, IReadOnlyList<string?> contexts, IReadOnlyList<IReadOnlyList<(int Start, int Length)>>? spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(contexts);
        if (contexts.Count != texts.Count || (spans is not null && spans.Count != texts.Count))
            throw new ArgumentException("One context (and one list of spans) per text.", nameof(contexts));
        // Each text's windows, read after its context: one request, so the queue batches windows of every text by length.
        // A span inside a window is pooled from that window's pass; the window's text starts with the context.
        var windows = new List<Encoded>(texts.Count);
        var first = new int[texts.Count + 1]; // text i's windows are [first[i], first[i + 1])
        var pooledIn = new List<(int Window, int Index)[]>(texts.Count); // per text, per span: where its vector is (-1: nowhere)
        for (var i = 0; i < texts.Count; i++)
        {
            first[i] = windows.Count;
            var context = contexts[i] is { Length: > 0 } c ? c + "\n\n" : "";
            var wanted = spans?[i] ?? [];
            var where = new (int Window, int Index)[wanted.Count];
            Array.Fill(where, (-1, -1));
            foreach (var (start, length) in Windows(texts[i], context))
            {
                var inside = new List<(int Start, int Length)>();
                for (var s = 0; s < wanted.Count; s++)
                {
                    if (wanted[s].Start >= start && wanted[s].Start + wanted[s].Length <= start + length)
                    {
                        where[s] = (windows.Count, inside.Count);
                        inside.Add((wanted[s].Start - start + context.Length, wanted[s].Length));
                    }
                }

                var window = context + texts[i].Substring(start, length);
                windows.Add(inside.Count == 0 ? Encode(window, Config.DocumentPrefix) : EncodeWithSpans(window, Config.DocumentPrefix, inside));
            }

            pooledIn.Add(where);
        }

        first[texts.Count] = windows.Count;
        var read = await Enqueue([.. windows], _documents, cancellationToken);
        var results = new Embedding[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var whole = Embedding.Pool([.. read.Skip(first[i]).Take(first[i + 1] - first[i]).Select(e => e with { Spans = null })]);
            results[i] = spans is null ? whole : whole with { Spans = [.. pooledIn[i].Select(w => w.Window < 0 ? null : read[w.Window].Spans?[w.Index])] };
        }

        return results;
    }

    /// <summary>
    /// Character windows of <paramref name="text"/> that each fit the model's window after <paramref name="context"/>,
    /// cut at word-piece boundaries (at a line break or space when one is near), covering the text. One window when it fits.
    /// </summary>
    internal IReadOnlyList<(int Start, int Length)> Windows(string text, string context)
    {
        if (_bert is not { } bert || context.Length + text.Length + Config.DocumentPrefix.Length <= MaxTokens - 8)
            return [(0, text.Length)]; // a word piece covers at least one character: it fits
        var room = MaxTokens - 2 - Encode(context, Config.DocumentPrefix).Ids.Length + 2 - 4; // a few tokens of slack at the joins
        if (room < 32)
            return [(0, text.Length)];
        var (normalised, tokens) = WordPieces(bert, text);
        if (tokens.Count <= room)
            return [(0, text.Length)];
        var windows = new List<(int, int)>();
        var start = 0;
        var first = 0;
        while (first < tokens.Count)
        {
            var last = Math.Min(tokens.Count, first + room); // tokens [first, last)
            if (last < tokens.Count)
            {
                // Prefer to end at a line break among the window's last quarter of tokens.
                for (var t = last - 1; t > first + (room * 3 / 4); t--)
                {
                    var gap = normalised.AsSpan(tokens[t - 1].Offset.End.GetOffset(normalised.Length), tokens[t].Offset.Start.GetOffset(normalised.Length) - tokens[t - 1].Offset.End.GetOffset(normalised.Length));
                    if (gap.Contains('\n'))
                    {
                        last = t;
                        break;
                    }
                }
            }

            var end = last < tokens.Count ? tokens[last].Offset.Start.GetOffset(normalised.Length) : text.Length;
            windows.Add((start, end - start));
            start = end;
            first = last;
        }

        return windows;
    }

    /// <summary>The token ids the model reads for <paramref name="text"/> (prefix and special tokens included, truncated to <see cref="MaxTokens"/>).</summary>
    internal Encoded Encode(string text, string prefix)
    {
        text = prefix + (text ?? "");
        if (_bert is not null)
        {
            // [CLS] text [SEP], as BERT was trained; truncation keeps the frame. White space other than a space becomes a
            // space first, as BERT's own text cleaning does: the tokenizer's normalizer drops line breaks as control
            // characters, which glued the words on either side of one ("town\nThe" read as "town ##the").
            var pieces = _bert.EncodeToIds(Spaced(Config.StripAccents ? AccentFolding.Fold(text) : text), addSpecialTokens: false);
            var room = MaxTokens - 2;
            var kept = Math.Min(pieces.Count, room);
            var framed = new long[kept + 2];
            framed[0] = _bert.ClassificationTokenId;
            for (var i = 0; i < kept; i++)
                framed[i + 1] = pieces[i];
            framed[^1] = _bert.SeparatorTokenId;
            return new Encoded(framed, pieces.Count > room);
        }

        var ids = Tokenizer.EncodeToIds(text);
        var bos = Config.PrependBos && Config.BosTokenId is not null ? 1 : 0;
        var space = MaxTokens - bos;
        var result = new long[Math.Min(ids.Count, space) + bos];
        if (bos == 1)
            result[0] = Config.BosTokenId!.Value;
        for (var i = bos; i < result.Length; i++)
            result[i] = ids[i - bos];
        return new Encoded(result, ids.Count > space);
    }

    /// <summary>The text with every white-space character a plain space (the same length, so offsets hold).</summary>
    private static string Spaced(string text)
    {
        if (!text.AsSpan().ContainsAny(ControlSpace))
            return text;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsWhiteSpace(source[i]) ? ' ' : source[i];
        });
    }

    private static readonly System.Buffers.SearchValues<char> ControlSpace = System.Buffers.SearchValues.Create("\t\n\v\f\r\u0085\u00a0\u2028\u2029");

    /// <summary>
    /// The WordPiece tokens of <paramref name="input"/>, normalised here character for character (lower case, accents
    /// folded) so each token's offsets are the input's own; the normalised text the offsets index.
    /// </summary>
    private (string Normalised, List<EncodedToken> Tokens) WordPieces(BertTokenizer bert, string input)
    {
        var normalised = Config.DoLowerCase ? input.ToLowerInvariant() : input;
        normalised = Config.StripAccents ? AccentFolding.Fold(normalised) : normalised;
        if (normalised.Length != input.Length)
            normalised = input;
        var tokens = bert.EncodeToTokens(normalised, out _, considerPreTokenization: true, considerNormalization: false)
            .Where(t => t.Id != bert.ClassificationTokenId && t.Id != bert.SeparatorTokenId)
            .ToList();
        return (normalised, tokens);
    }

    /// <summary>
    /// <see cref="Encode"/> with each span's token range: the text is normalised here, character for character
    /// (lower case, accents folded), so the WordPiece tokens' offsets are the text's own. Not WordPiece: no ranges.
    /// </summary>
    private Encoded EncodeWithSpans(string text, string prefix, IReadOnlyList<(int Start, int Length)> spans)
    {
        if (_bert is not { } bert)
            return Encode(text, prefix) with { Spans = new (int, int)[spans.Count] };
        var (normalised, tokens) = WordPieces(bert, prefix + (text ?? ""));
        var kept = Math.Min(tokens.Count, MaxTokens - 2);
        var ids = new long[kept + 2];
        ids[0] = bert.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
            ids[i + 1] = tokens[i].Id;
        ids[^1] = bert.SeparatorTokenId;
        var ranges = new (int First, int Count)[spans.Count];
        for (var s = 0; s < spans.Count; s++)
        {
            var start = spans[s].Start + prefix.Length;
            var end = start + spans[s].Length;
            int first = -1, last = -1;
            for (var t = 0; t < kept; t++)
            {
                if (tokens[t].Offset.Start.GetOffset(normalised.Length) < end && tokens[t].Offset.End.GetOffset(normalised.Length) > start)
                {
                    first = first < 0 ? t : first;
                    last = t;
                }
            }

            // Whole spans only: one cut by the window is left to a pass of its own.
            var cut = last == kept - 1 && tokens.Count > kept;
            ranges[s] = first < 0 || cut ? default : (first + 1, last - first + 1);
        }

        return new Encoded(ids, tokens.Count > kept, ranges);
    }

    /// <summary>
    /// Late chunking on the caller's thread, beside the worker's queue (the bench's measurements): the span
    /// vectors <see cref="EmbedWithSpansAsync"/> makes for one text; a span it leaves to a pass of its own is zero.
    /// </summary>
    internal float[][] EmbedSpansLate(string text, IReadOnlyList<(int Start, int Length)> spans)
    {
        var encoded = EncodeWithSpans(text, Config.DocumentPrefix, spans);
        var (_, pooled) = RunBatch([encoded])[0];
        return [.. (pooled ?? new float[]?[spans.Count]).Select(v => v ?? new float[Dimensions])];
    }

    private Task<IReadOnlyList<Embedding>> Enqueue(IReadOnlyList<string> texts, string prefix, Channel<Request> queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Enqueue([.. texts.Select(t => Encode(t, prefix))], queue, cancellationToken);
    }

    private Task<IReadOnlyList<Embedding>> Enqueue(Encoded[] texts, Channel<Request> queue, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (texts.Length == 0)
            return Task.FromResult<IReadOnlyList<Embedding>>([]);
        Interlocked.Add(ref queue == _queries ? ref _queryTexts : ref _documentTexts, texts.Length);
        var request = new Request(texts, cancellationToken);
        if (!queue.Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(OnnxEmbedder));
        _signal.Release();
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private void RunLoop()
    {
        var open = new List<Request>(); // document requests with texts left, oldest first
        var stop = _disposed.Token;
        try
        {
            while (true)
            {
                _signal.Wait(stop);
                while (true)
                {
                    var queries = new List<Request>();
                    while (_queries.Reader.TryRead(out var query))
                        queries.Add(query);
                    while (_documents.Reader.TryRead(out var document))
                        open.Add(document);
                    open.RemoveAll(r => r.Cancelled());
                    queries.RemoveAll(r => r.Cancelled());

                    // Queries first and whole; then one batch of document texts, so a query waits at most one batch.
                    var work = queries.SelectMany(r => r.Remaining()).ToList();
                    if (work.Count == 0)
                        work = NextDocumentBatch(open);
                    if (work.Count == 0)
                        break;
                    try
                    {
                        Run(work);
                    }
#pragma warning disable CA1031 // The loop serves every caller: a fault fails the callers it concerns, never the loop.
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
#pragma warning restore CA1031
                    {
                        foreach (var request in work.Select(w => w.Item1).Distinct())
                            request.Completion.TrySetException(e);
                    }

                    open.RemoveAll(r => r.Completion.Task.IsCompleted);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            while (_queries.Reader.TryRead(out var query))
                open.Add(query);
            while (_documents.Reader.TryRead(out var document))
                open.Add(document);
            foreach (var request in open)
                request.Completion.TrySetException(new ObjectDisposedException(nameof(OnnxEmbedder)));
        }
    }

    /// <summary>
    /// The shortest texts among the next few batches' worth of waiting document texts (oldest
    /// requests first), at most <see cref="EmbedderOptions.BatchSize"/> and
    /// <see cref="EmbedderOptions.MaxBatchTokens"/> padded tokens.
    /// </summary>
    private List<(Request Request, int Index)> NextDocumentBatch(List<Request> open)
    {
        var window = new List<(Request Request, int Index)>();
        foreach (var request in open)
        {
            window.AddRange(request.Remaining().Take((_options.BatchSize * 4) - window.Count));
            if (window.Count >= _options.BatchSize * 4)
                break;
        }

        window.Sort((a, b) => a.Request.Texts[a.Index].Ids.Length.CompareTo(b.Request.Texts[b.Index].Ids.Length));
        var batch = new List<(Request Request, int Index)>();
        foreach (var item in window)
        {
            var length = item.Request.Texts[item.Index].Ids.Length;
            if (batch.Count > 0 && (batch.Count >= _options.BatchSize || (batch.Count + 1) * length > _options.MaxBatchTokens))
                break;
            batch.Add(item);
        }

        return batch;
    }

    /// <summary>Runs <paramref name="work"/> in batches under the limits and hands each vector to its request.</summary>
    private void Run(List<(Request Request, int Index)> work)
    {
        work.Sort((a, b) => a.Request.Texts[a.Index].Ids.Length.CompareTo(b.Request.Texts[b.Index].Ids.Length));
        var start = 0;
        while (start < work.Count)
        {
            var end = start + 1;
            while (end < work.Count && end - start < _options.BatchSize
                   && (end - start + 1) * work[end].Request.Texts[work[end].Index].Ids.Length <= _options.MaxBatchTokens)
                end++;
            var batch = work.GetRange(start, end - start);
            foreach (var (request, index) in batch)
                request.Taken(index);
            try
            {
                var vectors = RunBatch([.. batch.Select(w => w.Request.Texts[w.Index])]);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (request, index) = batch[i];
                    var encoded = request.Texts[index];
                    request.Done(index, new Embedding(vectors[i].Vector, encoded.Ids.Length, encoded.Truncated, vectors[i].Spans));
                }
            }
#pragma warning disable CA1031 // The failure belongs to the callers whose texts were in this batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var request in batch.Select(b => b.Request).Distinct())
                    request.Completion.TrySetException(e);
            }

            start = end;
        }
    }

    /// <summary>One model run over the encoded texts: each one's vector, and its spans' vectors when it asked for them.</summary>
    private (float[] Vector, float[]?[]? Spans)[] RunBatch(IReadOnlyList<Encoded> encoded)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return RunBatchTimed(encoded);
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _tokens, encoded.Sum(e => (long)e.Ids.Length));
        }
    }

    private (float[] Vector, float[]?[]? Spans)[] RunBatchTimed(IReadOnlyList<Encoded> encoded)
    {
        var sequences = encoded.Select(e => e.Ids).ToList();
        var batch = sequences.Count;
        var length = Math.Max(1, sequences.Max(s => s.Length));
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        if (Config.PadTokenId is { } pad)
            Array.Fill(ids, pad);
        for (var b = 0; b < batch; b++)
        {
            sequences[b].CopyTo(ids, b * length);
            mask.AsSpan(b * length, sequences[b].Length).Fill(1);
        }

        var result = new (float[] Vector, float[]?[]? Spans)[batch];
        Run(ids, mask, batch, length, hidden =>
        {
            var dimensions = Dimensions;
            for (var b = 0; b < batch; b++)
            {
                var vector = new float[dimensions];
                if (Pooling == Pooling.Cls)
                {
                    hidden.Slice(b * length * dimensions, dimensions).CopyTo(vector);
                }
                else
                {
                    for (var t = 0; t < sequences[b].Length; t++)
                        TensorPrimitives.Add(vector, hidden.Slice(((b * length) + t) * dimensions, dimensions), vector);
                    TensorPrimitives.Divide(vector, Math.Max(1, sequences[b].Length), vector);
                }

                var norm = TensorPrimitives.Norm(vector);
                if (Config.Normalize && norm > 0)
                    TensorPrimitives.Divide(vector, norm, vector);
                result[b] = (vector, encoded[b].Spans is { } spans ? PoolSpans(hidden, b * length, spans) : null);
            }
        });
        return result;
    }

    /// <summary>Each span's vector: the mean of its tokens' states, L2 normalised (null for an empty range).</summary>
    private float[]?[] PoolSpans(ReadOnlySpan<float> hidden, int row, (int First, int Count)[] spans)
    {
        var dimensions = Dimensions;
        var pooled = new float[]?[spans.Length];
        for (var s = 0; s < spans.Length; s++)
        {
            if (spans[s].Count == 0)
                continue;
            var vector = new float[dimensions];
            for (var t = spans[s].First; t < spans[s].First + spans[s].Count; t++)
                TensorPrimitives.Add(vector, hidden.Slice((row + t) * dimensions, dimensions), vector);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
                TensorPrimitives.Divide(vector, norm, vector);
            pooled[s] = vector;
        }

        return pooled;
    }


    /// <summary>Reads token states ([batch, length, dimensions], row-major) while they exist.</summary>
    private delegate void HiddenReader(ReadOnlySpan<float> hidden);

    /// <summary>One run of the model over a [batch, length] block; <paramref name="read"/> reads the token states before they are freed.</summary>
    private void Run(long[] ids, long[] mask, int batch, int length, HiddenReader read)
    {
        var values = Inputs(ids, mask, batch, length);
        try
        {
            using var outputs = _session.Run(_run, InputNames, values, ["last_hidden_state"]);
            read(outputs[0].GetTensorDataAsSpan<float>());
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    private string[] InputNames => _hasTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];

    /// <summary>The model's inputs for a [batch, length] block of ids and mask (token types all 0 where the model takes them); the caller disposes them.</summary>
    private List<OrtValue> Inputs(long[] ids, long[] mask, int batch, int length)
    {
        List<OrtValue> values =
        [
            OrtValue.CreateTensorValueFromMemory(ids, [batch, length]),
            OrtValue.CreateTensorValueFromMemory(mask, [batch, length]),
        ];
        if (_hasTokenTypes)
            values.Add(OrtValue.CreateTensorValueFromMemory(new long[batch * length], [batch, length]));
        return values;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
            return;
        _disposed.Cancel();
        _queries.Writer.TryComplete();
        _documents.Writer.TryComplete();
        _worker.Join();
        _session.Dispose();
        _run.Dispose();
        _disposed.Dispose();
        _signal.Dispose();
    }

    /// <summary>A text as the model reads it: token ids, whether it was cut, and the token range of each span asked for (empty: none).</summary>
    internal sealed record Encoded(long[] Ids, bool Truncated, (int First, int Count)[]? Spans = null);

    /// <summary>One caller's texts: which are taken by a run, which are done, and the completion it waits on.</summary>
    private sealed class Request(Encoded[] texts, CancellationToken cancellationToken)
    {
        private readonly Embedding?[] _results = new Embedding?[texts.Length];
        private readonly bool[] _taken = new bool[texts.Length];
        private int _first; // every text before this one is taken
        private int _done;

        public Encoded[] Texts => texts;

        public TaskCompletionSource<IReadOnlyList<Embedding>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The texts no run has taken yet, in order.</summary>
        public IEnumerable<(Request, int)> Remaining()
        {
            for (var i = _first; i < texts.Length; i++)
            {
                if (!_taken[i])
                    yield return (this, i);
            }
        }

        public void Taken(int index)
        {
            _taken[index] = true;
            while (_first < texts.Length && _taken[_first])
                _first++;
        }

        public void Done(int index, Embedding embedding)
        {
            _results[index] = embedding;
            _done++;
            if (_done == texts.Length)
                Completion.TrySetResult(_results!);
        }

        public bool Cancelled()
        {
            if (!cancellationToken.IsCancellationRequested && !Completion.Task.IsCompleted)
                return false;
            Completion.TrySetCanceled(cancellationToken);
            return true;
        }
    }
}
