using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Engine.Models;

/// <summary>
/// One generation's KV cache. The Optimum layout returns <c>present</c> = past + new as a fresh
/// tensor each step; here it is written into one of two buffers allocated up front on the
/// device (ping-pong: step t reads buffer A and writes buffer B, step t + 1 the other way), bound
/// through IOBinding. Decoding therefore allocates nothing per token and, on CUDA, the cache
/// never leaves the GPU; only the last position's logits come to the host, for sampling.
/// </summary>
internal sealed class DecoderState : IDisposable
{
    private readonly OnnxDecoder _model;
    private readonly int _capacity;
    private readonly int _chunk;
    private readonly DeviceBuffer[,] _read;
    private readonly DeviceBuffer[,] _write;
    private readonly DeviceBuffer _scratchLogits;
    private readonly float[] _hostLogits;
    private readonly OrtValue _hostLogitsValue;
    private readonly long[] _ids;
    private readonly long[] _positions;
    private readonly long[] _mask;
    private readonly OrtIoBinding _binding;
    private DeviceBuffer[,] _current;
    private DeviceBuffer[,] _next;

    public DecoderState(OnnxDecoder model, int capacity)
    {
        _model = model;
        _capacity = capacity;
        _chunk = model.PrefillChunkTokens;
        var config = model.Config;
        var perBuffer = (long)config.KeyValueHeads * capacity * config.HeadDim;
        _read = new DeviceBuffer[config.Layers, 2];
        _write = new DeviceBuffer[config.Layers, 2];
        for (var layer = 0; layer < config.Layers; layer++)
        {
            for (var part = 0; part < 2; part++)
            {
                _read[layer, part] = new DeviceBuffer(model.DeviceAllocator, model.DeviceMemory, perBuffer);
                _write[layer, part] = new DeviceBuffer(model.DeviceAllocator, model.DeviceMemory, perBuffer);
            }
        }

        (_current, _next) = (_read, _write);
        _scratchLogits = new DeviceBuffer(model.DeviceAllocator, model.DeviceMemory, (long)_chunk * config.VocabSize);
        _hostLogits = new float[config.VocabSize];
        _hostLogitsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _hostLogits.AsMemory(), [1, 1, config.VocabSize]);
        _ids = new long[_chunk];
        _positions = new long[_chunk];
        _mask = new long[capacity];
        Array.Fill(_mask, 1L);
        _binding = model.Session.CreateIoBinding();
    }

    /// <summary>Tokens in the cache.</summary>
    public int Length { get; private set; }

    /// <summary>Logits after the last token appended.</summary>
    public ReadOnlySpan<float> LastLogits => _hostLogits;

    /// <summary>Runs <paramref name="ids"/> through the model after what the cache holds.</summary>
    public void Append(IReadOnlyList<int> ids, RunOptions run)
    {
        if (Length + ids.Count > _capacity)
            throw new InvalidOperationException($"The cache holds {_capacity} tokens; {Length + ids.Count} were asked for.");

        // All but the last token in chunks whose logits stay on the device; the last alone, so
        // only its logits come to the host.
        var offset = 0;
        while (offset < ids.Count - 1)
        {
            var count = Math.Min(_chunk, ids.Count - 1 - offset);
            Step(ids, offset, count, toHost: false, run);
            offset += count;
        }

        Step(ids, ids.Count - 1, 1, toHost: true, run);
    }

    private void Step(IReadOnlyList<int> ids, int offset, int count, bool toHost, RunOptions run)
    {
        _model.CountGenerationStep();
        var config = _model.Config;
        for (var i = 0; i < count; i++)
        {
            _ids[i] = ids[offset + i];
            _positions[i] = Length + i;
        }

        var views = new List<OrtValue>();
        OrtValue Track(OrtValue value)
        {
            views.Add(value);
            return value;
        }

        try
        {
            _binding.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            _binding.BindInput("input_ids", Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _ids.AsMemory(0, count), [1, count])));
            _binding.BindInput("attention_mask", Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mask.AsMemory(0, Length + count), [1, Length + count])));
            if (_model.HasPositionIds)
                _binding.BindInput("position_ids", Track(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _positions.AsMemory(0, count), [1, count])));
            for (var layer = 0; layer < config.Layers; layer++)
            {
                for (var part = 0; part < 2; part++)
                {
                    var name = OnnxDecoder.KeyValue[part];
                    var past = Length == 0
                        ? OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, config.KeyValueHeads, 0, config.HeadDim])
                        : _current[layer, part].View([1, config.KeyValueHeads, Length, config.HeadDim]);
                    _binding.BindInput($"past_key_values.{layer}.{name}", Track(past));
                    _binding.BindOutput($"present.{layer}.{name}", Track(_next[layer, part].View([1, config.KeyValueHeads, Length + count, config.HeadDim])));
                }
            }

            _binding.BindOutput("logits", toHost ? _hostLogitsValue : Track(_scratchLogits.View([1, count, config.VocabSize])));
            _model.Session.RunWithBinding(run, _binding);
            _binding.SynchronizeBoundOutputs();
        }
        finally
        {
            foreach (var view in views)
                view.Dispose();
        }

        (_current, _next) = (_next, _current);
        Length += count;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _hostLogitsValue.Dispose();
        _scratchLogits.Dispose();
        foreach (var buffer in _read)
            buffer.Dispose();
        foreach (var buffer in _write)
            buffer.Dispose();
    }
}
