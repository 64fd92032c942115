namespace Rag.Api.OpenAi;

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
