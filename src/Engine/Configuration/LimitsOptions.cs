namespace Rag.Engine.Configuration;

/// <summary>
/// The <c>Rag:Limits</c> section: how much one request may ask of the service, and how much model
/// work runs at once. Past a size limit the answer is 413 naming the setting; past a work limit,
/// 429 with <c>Retry-After</c>.
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>Largest JSON request body in bytes, document uploads aside (those follow <c>Rag:Ingestion:MaxUploadBytes</c>). Default 8 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// Most characters of text one request may hand to compression: <c>/v1/compress</c>'s context, the
    /// messages of a chat completion. Default 512Ki characters (about 128k cl100k tokens, some 40 s of
    /// encoder work on two cores).
    /// </summary>
    public int MaxContextCharacters { get; set; } = 512 * 1024;

    /// <summary>Most tokens one request may ask the generator for (<c>max_tokens</c>). Default 1024.</summary>
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>Requests generating with the local decoder (/ask with a generator, chat completions): each holds a KV cache.</summary>
    public WorkLimit Generation { get; set; } = new() { MaxConcurrent = 2, MaxQueued = 8 };

    /// <summary>Requests compressing text with the models (scorer, encoder): /v1/compress, extractive /ask, proxied chat.</summary>
    public WorkLimit Compression { get; set; } = new() { MaxConcurrent = 4, MaxQueued = 32 };
}
