using Rag.Compression;

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

/// <summary>
/// The <c>Rag:OpenAI:ChatFormat</c> section: the local decoder's prompt is each message as
/// prefix + text, joined by <see cref="Separator"/>, then <see cref="AnswerPrefix"/>. Set the prefixes
/// to your model's chat markers (e.g. <c>&lt;|im_start|&gt;user\n</c> … for Qwen) or empty for a
/// completion model.
/// </summary>
public sealed class ChatFormatOptions
{
    public string SystemPrefix { get; set; } = "System: ";

    public string UserPrefix { get; set; } = "User: ";

    public string AssistantPrefix { get; set; } = "Assistant: ";

    public string ToolPrefix { get; set; } = "Tool: ";

    public string Separator { get; set; } = "\n\n";

    /// <summary>Written after the last message, where the answer begins (empty: the model continues the last message).</summary>
    public string AnswerPrefix { get; set; } = "Assistant:";

    /// <summary>Where the model would start another turn: generation ends there.</summary>
    public IList<string> Stop { get; } = ["\nUser:", "\nSystem:"];
}

/// <summary>The <c>Rag:OpenAI:Compression</c> section.</summary>
public sealed class OpenAiCompressionOptions
{
    /// <summary>Compress long messages (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Kept fraction of a long message's tokens (default 0.5).</summary>
    public double Rate { get; set; } = 0.5;

    /// <summary>Method (default auto).</summary>
    public CompressionMethod Method { get; set; } = CompressionMethod.Auto;

    /// <summary>Messages shorter than this many tokens pass untouched (default 512).</summary>
    public int MinTokens { get; set; } = 512;
}
