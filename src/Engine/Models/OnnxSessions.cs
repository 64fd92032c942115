using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Rag.Engine.Diagnostics;

namespace Rag.Engine.Models;

/// <summary>
/// Creates ONNX Runtime sessions on the configured execution provider and knows where their
/// tensors live. One instance per process: the provider is decided, and logged, once.
/// </summary>
public sealed partial class OnnxSessions
{
    private const string Cuda = "CUDAExecutionProvider";
    private readonly ModelOptions _options;
    private readonly ILogger<OnnxSessions> _logger;
    private readonly Lazy<bool> _useCuda;

    /// <summary>Chooses the execution provider from the options and says which in the log.</summary>
    public OnnxSessions(IOptions<ModelOptions> options, ILogger<OnnxSessions> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _useCuda = new Lazy<bool>(Decide);
    }

    /// <summary>True when sessions run on CUDA.</summary>
    public bool UsesCuda => _useCuda.Value;

    /// <summary>"cuda:0" or "cpu".</summary>
    public string Device => UsesCuda ? $"cuda:{_options.DeviceId}" : "cpu";

    /// <summary>Where the session's tensors (the KV cache) live: device memory on CUDA.</summary>
    public OrtMemoryInfo DeviceMemory => UsesCuda
        ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, _options.DeviceId, OrtMemType.Default)
        : OrtMemoryInfo.DefaultInstance;

    /// <summary>Opens <paramref name="modelPath"/>; a file ONNX Runtime cannot load becomes a <see cref="ModelLoadException"/>.</summary>
    public InferenceSession Open(string modelPath)
    {
        if (!File.Exists(modelPath))
            throw new ModelLoadException($"{modelPath} is missing.");
        // One run uses every core (measured in bench/README.md: the encoder is compute-bound); runs are
        // serialised per model, so the threads are not oversubscribed by the model's own callers.
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = _options.Threads > 0 ? _options.Threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        if (UsesCuda)
            options.AppendExecutionProvider_CUDA(_options.DeviceId);
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"ONNX Runtime cannot load {modelPath}: {e.Message}", e);
        }
    }

    private bool Decide()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        var hasCuda = available.Contains(Cuda, StringComparer.Ordinal);
        switch (_options.ExecutionProvider)
        {
            case ExecutionProvider.Cuda when !hasCuda:
                throw new ModelLoadException(
                    "Rag:Models:ExecutionProvider is Cuda, but this build's ONNX Runtime has no CUDA provider "
                    + $"(it has: {string.Join(", ", available)}). Build with -p:OnnxRuntimeGpu=true on a machine whose NuGet feed "
                    + "serves Microsoft.ML.OnnxRuntime.Gpu, or set Rag:Models:ExecutionProvider to Auto or Cpu.");
            case ExecutionProvider.Cpu:
                LogChosen("CPU", "configured");
                return false;
            default:
                LogChosen(hasCuda ? $"CUDA device {_options.DeviceId}" : "CPU",
                    _options.ExecutionProvider == ExecutionProvider.Cuda ? "configured" : hasCuda ? "Auto: CUDA is available" : "Auto: this build has no CUDA provider");
                return hasCuda;
        }
    }

    [LoggerMessage(EventId = LogEvents.ModelDevice, Level = LogLevel.Information, Message = "ONNX Runtime runs models on {Device} ({Reason})")]
    private partial void LogChosen(string device, string reason);
}
