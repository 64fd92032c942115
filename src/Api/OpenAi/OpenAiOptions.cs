namespace Rag.Api.OpenAi;

/// <summary>The <c>Rag:OpenAI</c> section: the OpenAI-compatible <c>/v1/chat/completions</c> endpoint.</summary>
public sealed class OpenAiOptions
{
    public const string Section = "Rag:OpenAI";

    /// <summary>
    /// Proxy mode: an OpenAI-compatible server's base URL (ending in <c>/v1</c>, e.g.
    /// <c>https://api.openai.com/v1</c>). Requests are compressed, then forwarded there. Without it,
    /// the local ONNX decoder answers.
    /// </summary>
    public string? UpstreamUrl { get; set; }

    /// <summary>Sent upstream as <c>Authorization: Bearer</c> (the caller's own key is never forwarded).</summary>
    public string? UpstreamApiKey { get; set; }

    /// <summary>Replaces the request's <c>model</c> when forwarding (empty: keep the caller's).</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>Timeout of an upstream request (default 5 minutes).</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Compression of long messages before the model sees them.</summary>
    public OpenAiCompressionOptions Compression { get; set; } = new();

    /// <summary>How the local decoder's prompt is written from the messages.</summary>
    public ChatFormatOptions ChatFormat { get; set; } = new();
}
