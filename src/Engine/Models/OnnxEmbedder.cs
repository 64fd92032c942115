using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Models;

/// <summary>
/// A sentence encoder in the BERT layout (<c>input_ids</c>, <c>attention_mask</c>, optional
/// <c>token_type_ids</c> → <c>last_hidden_state</c>), mean-pooled over the real tokens and L2
/// normalised, as sentence-transformers does. Texts are sorted by length and batched so that
/// padding stays small; padding is masked, so a text's vector does not depend on its batch.
/// </summary>
public sealed class OnnxEmbedder : ITextEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly EmbedderOptions _options;
    private readonly bool _hasTokenTypes;

    private OnnxEmbedder(string folder, ModelConfig config, Tokenizer tokenizer, InferenceSession session, EmbedderOptions options)
    {
        Config = config;
        Tokenizer = tokenizer;
        _session = session;
        _options = options;
        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        ModelId = ModelIdentity.Of(folder, Path.Combine(folder, "model.onnx"));
    }

    public ModelConfig Config { get; }

    public Tokenizer Tokenizer { get; }

    public string ModelId { get; }

    public int Dimensions => Config.HiddenSize;

    /// <summary>Most tokens the model reads of one text (its positions, BOS included).</summary>
    public int MaxTokens => Config.MaxPositions;

    public static OnnxEmbedder Load(string folder, OnnxSessions sessions, EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        var (config, tokenizer, session) = ModelFolder.Open(folder, "Embedder", sessions, ModelLayout.CheckEmbedder);
        try
        {
            return new OnnxEmbedder(folder, config, tokenizer, session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<Embedding>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Task.Run(() => Embed(texts, cancellationToken), cancellationToken);
    }

    private IReadOnlyList<Embedding> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var encoded = texts.Select(Encode).ToList();
        var results = new Embedding[texts.Count];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => encoded[i].Ids.Length).ToList();
        var start = 0;
        using var run = new RunOptions();
        using var stop = cancellationToken.Register(() => run.Terminate = true);
        while (start < order.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + 1;
            while (end < order.Count && end - start < _options.BatchSize
                   && (end - start + 1) * encoded[order[end]].Ids.Length <= _options.MaxBatchTokens)
                end++;
            var batch = order.GetRange(start, end - start);
            var vectors = RunBatch(batch.Select(i => encoded[i].Ids).ToList(), run, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var (ids, truncated) = encoded[batch[i]];
                results[batch[i]] = new Embedding(vectors[i], ids.Length, truncated);
            }

            start = end;
        }

        return results;
    }

    private (long[] Ids, bool Truncated) Encode(string text)
    {
        var ids = Tokenizer.EncodeToIds(text ?? "");
        var bos = Config.PrependBos && Config.BosTokenId is { } b ? 1 : 0;
        var room = MaxTokens - bos;
        var truncated = ids.Count > room;
        var result = new long[Math.Min(ids.Count, room) + bos];
        if (bos == 1)
            result[0] = Config.BosTokenId!.Value;
        for (var i = bos; i < result.Length; i++)
            result[i] = ids[i - bos];
        return (result, truncated);
    }

    private float[][] RunBatch(IReadOnlyList<long[]> sequences, RunOptions run, CancellationToken cancellationToken)
    {
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

        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [batch, length]),
            OrtValue.CreateTensorValueFromMemory(mask, [batch, length]),
        };
        if (_hasTokenTypes)
        {
            names.Add("token_type_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(new long[batch * length], [batch, length]));
        }

        try
        {
            using var outputs = Run(run, names, values, cancellationToken);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var dimensions = Dimensions;
            var result = new float[batch][];
            for (var b = 0; b < batch; b++)
            {
                var vector = new float[dimensions];
                var count = Math.Max(1, sequences[b].Length);
                for (var t = 0; t < sequences[b].Length; t++)
                    TensorPrimitives.Add(vector, hidden.Slice(((b * length) + t) * dimensions, dimensions), vector);
                TensorPrimitives.Divide(vector, count, vector);
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                    TensorPrimitives.Divide(vector, norm, vector);
                result[b] = vector;
            }

            return result;
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(RunOptions run, List<string> names, List<OrtValue> values, CancellationToken cancellationToken)
    {
        try
        {
            return _session.Run(run, names, values, ["last_hidden_state"]);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Embedding was cancelled.", cancellationToken);
        }
    }

    public void Dispose() => _session.Dispose();
}
