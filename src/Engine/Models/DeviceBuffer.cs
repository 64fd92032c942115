using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Engine.Models;

/// <summary>
/// A block of float memory allocated once where the session runs (host memory on the CPU,
/// device memory on CUDA), viewed as tensors of whatever shape a step needs. The KV cache and the
/// prefill logits live in these, so decoding allocates nothing and, on a GPU, never copies the
/// cache through the host.
/// </summary>
internal sealed class DeviceBuffer : IDisposable
{
    private readonly OrtMemoryInfo _memory;
    private readonly OrtValue _allocation;
    private readonly IntPtr _pointer;

    public DeviceBuffer(OrtAllocator allocator, OrtMemoryInfo memory, long floats)
    {
        _memory = memory;
        Floats = Math.Max(1, floats);
        _allocation = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, [Floats]);
        // The address only: the span is never read, so this holds for device memory too.
        unsafe
        {
            fixed (byte* data = _allocation.GetTensorMutableRawData())
                _pointer = (IntPtr)data;
        }
    }

    public long Floats { get; }

    /// <summary>A tensor over the start of the buffer; the caller disposes it (the memory stays).</summary>
    public OrtValue View(long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count > Floats)
            throw new InvalidOperationException($"A view of {count} floats does not fit a buffer of {Floats}.");
        return OrtValue.CreateTensorValueWithData(_memory, TensorElementType.Float, shape, _pointer, count * sizeof(float));
    }

    public void Dispose() => _allocation.Dispose();
}
