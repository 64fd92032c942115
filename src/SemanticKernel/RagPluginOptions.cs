namespace Rag.SemanticKernel;

/// <summary>Plugin settings.</summary>
public sealed class RagPluginOptions
{
    /// <summary>The collection used when a function call names none.</summary>
    public string DefaultCollection { get; set; } = "default";
}
