using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Rag.Engine.Models;

/// <summary>
/// The encoder's ONNX session: one run over a batch of encoded texts (padded to the longest, padding masked), each
/// text's vector pooled as config.json says (mean over the real tokens, or the [CLS] state), L2 normalised, and the
/// vectors of the spans a text asked for pooled from the same pass. Counts its runs, tokens and busy time.
/// </summary>
internal sealed class EmbedderSession(InferenceSession session, ModelConfig config) : IDisposable
{
    private readonly InferenceSession _session = session;
    private readonly RunOptions _run = new();
    private readonly bool _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
    private ModelConfig Config { get; } = config;
    private long _batches;
    private long _tokens;
    private long _busyTicks;

    private Pooling Pooling => Config.Pooling;

    private int Dimensions => Config.HiddenSize;

    /// <summary>Model runs so far.</summary>
    public long BatchesRun => Interlocked.Read(ref _batches);

    /// <summary>Tokens read so far (padding not counted).</summary>
    public long TokensEmbedded => Interlocked.Read(ref _tokens);

    /// <summary>Time spent in model runs so far.</summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    /// <summary>One model run over the encoded texts: each one's vector, and its spans' vectors when it asked for them.</summary>
    public (float[] Vector, float[]?[]? Spans)[] RunBatch(IReadOnlyList<EncodedText> encoded)
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

    private (float[] Vector, float[]?[]? Spans)[] RunBatchTimed(IReadOnlyList<EncodedText> encoded)
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

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
