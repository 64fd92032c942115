namespace Rag.Engine.Models;

/// <summary>Where ONNX Runtime runs the models.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when this build's ONNX Runtime has it, otherwise the CPU; the choice is logged once.</summary>
    Auto,

    /// <summary>CUDA, or the service does not start.</summary>
    Cuda,

    /// <summary>The CPU.</summary>
    Cpu,
}
