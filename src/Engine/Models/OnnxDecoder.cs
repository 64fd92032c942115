using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Rag.Engine.Models;

/// <summary>
/// A decoder-only language model in the Hugging Face Optimum layout (<c>input_ids</c>,
/// <c>attention_mask</c>, <c>position_ids</c>, <c>past_key_values.N.key/value</c> → <c>logits</c>,
/// <c>present.N.key/value</c>), hosted in one ONNX Runtime session shared by every request.
/// It scores tokens (per-token NLL, batched across concurrent callers), generates with a KV cache,
/// and runs the GemFilter probe when the folder has the filter graph.
/// </summary>
public sealed class OnnxDecoder : ITextGenerator, IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxSessions _sessions;
    private readonly DecoderOptions _options;
    private readonly OrtAllocator _allocator;
    private readonly OrtMemoryInfo _deviceMemory;
    private readonly ScoringQueue _scorer;
    private readonly AttentionProbe? _probe;
    private long _generationSteps;

    private OnnxDecoder(string folder, ModelConfig config, Tokenizer tokenizer, InferenceSession session, InferenceSession? gemFilter,
        OnnxSessions sessions, DecoderOptions options)
    {
        Folder = folder;
        Config = config;
        Tokenizer = tokenizer;
        _session = session;
        _sessions = sessions;
        _options = options;
        _deviceMemory = sessions.DeviceMemory;
        _allocator = sessions.UsesCuda ? new OrtAllocator(session, _deviceMemory) : OrtAllocator.DefaultInstance;
        HasTokenNll = session.OutputMetadata.ContainsKey("token_nll");
        HasPositionIds = session.InputMetadata.ContainsKey("position_ids");
        ModelId = ModelIdentity.Of(folder, Path.Combine(folder, "model.onnx"));
        _scorer = new ScoringQueue(ScoreBatch, options.MaxBatchTokens);
        _probe = gemFilter is null ? null : new AttentionProbe(gemFilter, config.Json["gemfilter"]?["output"]?.GetValue<string>() ?? "gem_scores");
    }

    /// <summary>The model folder it was loaded from.</summary>
    public string Folder { get; }

    /// <summary>The model's config.json.</summary>
    public ModelConfig Config { get; }

    /// <inheritdoc/>
    public Tokenizer Tokenizer { get; }

    /// <summary>Folder name and a short hash of the weights; part of every cache key that depends on this model.</summary>
    public string ModelId { get; }

    /// <summary>Whether the model outputs per-token NLL itself (so scoring never moves n × vocab logits).</summary>
    public bool HasTokenNll { get; }

    internal bool HasPositionIds { get; }

    /// <summary>The layer whose attention the GemFilter graph reads, or null without the graph.</summary>
    public int? GemFilterLayer => _probe is null ? null : (int?)Config.Json["gemfilter"]?["layer"];

    /// <summary>Scoring requests whose caller cancelled before their batch ended (their remaining sequences were not scored).</summary>
    internal long AbandonedScoreRequests => _scorer.AbandonedRequests;

    /// <summary>Sequences the scoring queue has run through the model.</summary>
    internal long ScoredSequences => _scorer.ScoredSequences;

    /// <summary>Model runs of generation (prefill chunks and decode steps) begun since load; tests watch a prefill's progress with it.</summary>
    internal long GenerationSteps => Interlocked.Read(ref _generationSteps);

    internal void CountGenerationStep() => Interlocked.Increment(ref _generationSteps);

    /// <summary>The longest sequence the model takes.</summary>
    public int MaxPositions => Config.MaxPositions;

    /// <summary>Bytes of KV cache one token of one generation holds (keys and values of every layer, fp32).</summary>
    public long KvCacheBytesPerToken => 2L * Config.Layers * Config.KeyValueHeads * Config.HeadDim * sizeof(float);

    /// <summary>Loads and checks the folder: config, tokenizer, model inputs and outputs against the config.</summary>
    public static OnnxDecoder Load(string folder, OnnxSessions sessions, DecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        var (config, tokenizer, session) = ModelFolder.Open(folder, "Decoder", sessions, ModelLayout.CheckDecoder);
        InferenceSession? gem = null;
        try
        {
            if (config.Json["gemfilter"]?["graph"]?.GetValue<string>() is { } graph)
            {
                gem = sessions.Open(Path.Combine(folder, graph));
                ModelLayout.CheckGemFilter(gem, Path.Combine(folder, graph), config.Json["gemfilter"]?["output"]?.GetValue<string>() ?? "gem_scores");
            }

            return new OnnxDecoder(folder, config, tokenizer, session, gem, sessions, options);
        }
        catch
        {
            session.Dispose();
            gem?.Dispose();
            throw;
        }
    }

    /// <summary>Token ids of <paramref name="text"/>, with the model's BOS first when asked and the model has one.</summary>
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = Tokenizer.EncodeToIds(text);
        if (!addBos || Config.BosTokenId is not { } bos)
            return ids;
        var withBos = new List<int>(ids.Count + 1) { bos };
        withBos.AddRange(ids);
        return withBos;
    }

    /// <summary>The text of token ids.</summary>
    public string Decode(IEnumerable<int> ids) => Tokenizer.Decode(ids);

    /// <summary>
    /// Per-token negative log-likelihood of each sequence: element t is −log p(ids[t+1] | ids[..t]),
    /// so a sequence of n tokens gives n − 1 values. Requests from concurrent callers are batched
    /// together up to <see cref="DecoderOptions.MaxBatchTokens"/> padded tokens.
    /// </summary>
    public Task<float[][]> ScoreAsync(IReadOnlyList<IReadOnlyList<int>> sequences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        foreach (var sequence in sequences)
        {
            if (sequence.Count == 0 || sequence.Count > MaxPositions)
                throw new ArgumentException($"Sequences to score must hold 1 to {MaxPositions} tokens.", nameof(sequences));
        }

        return _scorer.ScoreAsync(sequences, cancellationToken);
    }

    /// <summary>Scores the sequences in one run of the model (right-padded, masked).</summary>
    internal float[][] ScoreBatch(IReadOnlyList<IReadOnlyList<int>> sequences, RunOptions? runOptions = null)
    {
        var batch = sequences.Count;
        var length = sequences.Max(s => s.Count);
        using var run = runOptions is null ? new RunOptions() : null;
        using var outputs = RunWithoutCache(sequences, HasTokenNll ? "token_nll" : "logits", runOptions ?? run!);
        var result = new float[batch][];
        if (HasTokenNll)
        {
            var nll = outputs[0].GetTensorDataAsSpan<float>();
            for (var b = 0; b < batch; b++)
                result[b] = nll.Slice(b * length, sequences[b].Count - 1).ToArray();
            return result;
        }

        var logits = outputs[0].GetTensorDataAsSpan<float>();
        var vocab = Config.VocabSize;
        for (var b = 0; b < batch; b++)
        {
            result[b] = new float[sequences[b].Count - 1];
            for (var t = 0; t + 1 < sequences[b].Count; t++)
            {
                var row = logits.Slice(((b * length) + t) * vocab, vocab);
                result[b][t] = LogSumExp(row) - row[sequences[b][t + 1]];
            }
        }

        return result;
    }

    /// <summary>One run over right-padded, masked sequences with an empty cache; returns <paramref name="output"/> on the host.</summary>
    private IDisposableReadOnlyCollection<OrtValue> RunWithoutCache(IReadOnlyList<IReadOnlyList<int>> sequences, string output, RunOptions run)
    {
        var batch = sequences.Count;
        var length = sequences.Max(s => s.Count);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var positions = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < sequences[b].Count; t++)
            {
                ids[(b * length) + t] = sequences[b][t];
                mask[(b * length) + t] = 1;
                positions[(b * length) + t] = t;
            }
        }

        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [batch, length]),
            OrtValue.CreateTensorValueFromMemory(mask, [batch, length]),
        };
        try
        {
            if (HasPositionIds)
            {
                names.Add("position_ids");
                values.Add(OrtValue.CreateTensorValueFromMemory(positions, [batch, length]));
            }

            for (var layer = 0; layer < Config.Layers; layer++)
            {
                foreach (var part in KeyValue)
                {
                    names.Add($"past_key_values.{layer}.{part}");
                    values.Add(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float,
                        [batch, Config.KeyValueHeads, 0, Config.HeadDim]));
                }
            }

            return _session.Run(run, names, values, [output]);
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    /// <summary>Logits of every position, without a cache (n × vocab floats; for checks, not for serving).</summary>
    internal float[] Logits(IReadOnlyList<int> ids)
    {
        using var run = new RunOptions();
        using var outputs = RunWithoutCache([ids], "logits", run);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>
    /// Generates a continuation of <paramref name="prompt"/>, streaming text as it comes. The prompt
    /// runs in chunks (prefill), then one token per step with the KV cache kept where the model
    /// runs. Cancelling stops the model mid-run, not just between tokens.
    /// </summary>
    public async IAsyncEnumerable<GenerationChunk> GenerateAsync(IReadOnlyList<int> prompt, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (prompt.Count == 0 || prompt.Count >= MaxPositions)
            throw new ArgumentException($"The prompt must hold 1 to {MaxPositions - 1} tokens; it holds {prompt.Count}.", nameof(prompt));
        if (options.MaxTokens < 1)
            throw new ArgumentException("MaxTokens must be at least 1.", nameof(options));

        var capacity = Math.Min(MaxPositions, prompt.Count + options.MaxTokens);
        using var run = new RunOptions();
        using var stopRun = cancellationToken.Register(() => run.Terminate = true);
        using var state = new DecoderState(this, capacity);
        var sampler = new TokenSampler(options.Temperature, options.TopP, options.Seed);
        var filter = new StopSequenceFilter(options.Stop);
        var eos = Config.EosTokenIds;
        var generated = new List<int>();
        var clock = Stopwatch.StartNew();

        // The decode span is recorded at the end: after the first yield the caller's span is no longer current here.
        var parent = Activity.Current;
        using (var prefill = Contracts.RagTracing.Start("rag.prefill"))
        {
            prefill?.SetTag("rag.model", ModelId).SetTag("rag.prefill.tokens", prompt.Count);
            Guarded(cancellationToken, () => state.Append(prompt, run));
        }

        var prefillMs = clock.Elapsed.TotalMilliseconds;
        var decodeStart = DateTimeOffset.UtcNow;
        string? finish = null;
        while (finish is null)
        {
            await Task.Yield();
            var next = sampler.Next(state.LastLogits);
            if (eos.Contains(next))
            {
                finish = "stop";
                break;
            }

            generated.Add(next);
            var (delta, stopped) = filter.Next(Tokenizer.Decode(generated), final: false);
            if (stopped)
                finish = "stop";
            else if (generated.Count >= options.MaxTokens || state.Length >= capacity)
                finish = "length";
            if (delta.Length > 0)
                yield return new GenerationChunk(delta);
            if (finish is null)
                Guarded(cancellationToken, () => state.Append([next], run));
        }

        var rest = finish == "stop" && generated.Count > 0 && !eos.Contains(generated[^1]) ? "" : filter.Next(Tokenizer.Decode(generated), final: true).Delta;
        var stats = new GenerationStats(prompt.Count, generated.Count, Math.Round(prefillMs, 2), Math.Round(clock.Elapsed.TotalMilliseconds - prefillMs, 2));
        Contracts.RagTracing.Record("rag.decode", parent, decodeStart, TimeSpan.FromMilliseconds(stats.DecodeMs),
            ("rag.model", ModelId), ("rag.decode.tokens", generated.Count), ("rag.finish_reason", finish));
        yield return new GenerationChunk(rest, finish, stats);
    }

    /// <summary>
    /// GemFilter's probe: for each position, the last token's query dotted with that position's key
    /// at the filter layer (after rotary embedding), summed over heads.
    /// </summary>
    public float[] GemScores(IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        (_probe ?? throw new InvalidOperationException($"{Folder} has no GemFilter graph (\"gemfilter\" in config.json).")).Scores(ids, cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        _scorer.Dispose();
        _session.Dispose();
        _probe?.Dispose();
        if (_sessions.UsesCuda)
            _allocator.Dispose();
    }

    internal static readonly string[] KeyValue = ["key", "value"];

    internal InferenceSession Session => _session;

    internal OrtAllocator DeviceAllocator => _allocator;

    internal OrtMemoryInfo DeviceMemory => _deviceMemory;

    internal int PrefillChunkTokens =>
        // Bound the prefill logits of one step to 16M floats (64 MB) whatever the vocabulary.
        Math.Max(1, Math.Min(_options.PrefillChunkTokens, (16 << 20) / Config.VocabSize));

    private static float LogSumExp(ReadOnlySpan<float> row)
    {
        var max = TensorPrimitives.Max(row);
        var sum = 0.0;
        foreach (var value in row)
            sum += Math.Exp(value - max);
        return max + (float)Math.Log(sum);
    }

    private static void Guarded(CancellationToken cancellationToken, Action action) => Guarded(cancellationToken, () =>
    {
        action();
        return 0;
    });

    internal static T Guarded<T>(CancellationToken cancellationToken, Func<T> action)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return action();
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The model run was cancelled.", cancellationToken);
        }
    }

}
