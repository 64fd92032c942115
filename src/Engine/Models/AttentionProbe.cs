using Microsoft.ML.OnnxRuntime;

namespace Rag.Engine.Models;

/// <summary>
/// GemFilter's probe: the decoder's early-layer graph (<c>gemfilter</c> in config.json), run on its own session. For
/// each position, the last token's query dotted with that position's key at the filter layer (after rotary
/// embedding), summed over heads.
/// </summary>
internal sealed class AttentionProbe(InferenceSession gem, string output) : IDisposable
{
    /// <summary>Each position's score for <paramref name="ids"/>.</summary>
    public float[] Scores(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var n = ids.Count;
        var input = ids.Select(i => (long)i).ToArray();
        var mask = new long[n];
        Array.Fill(mask, 1L);
        var positions = new long[n];
        for (var i = 0; i < n; i++)
            positions[i] = i;
        using var run = new RunOptions();
        using var stop = cancellationToken.Register(() => run.Terminate = true);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(input, [1, n]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, n]);
        using var positionValue = OrtValue.CreateTensorValueFromMemory(positions, [1, n]);
        return OnnxDecoder.Guarded(cancellationToken, () =>
        {
            using var outputs = gem.Run(run, ["input_ids", "attention_mask", "position_ids"], [idsValue, maskValue, positionValue], [output]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        });
    }

    public void Dispose() => gem.Dispose();
}
