namespace Rag.Api.OpenAi;

/// <summary>How a conversation becomes the local decoder's prompt (<see cref="ChatFormatOptions"/>).</summary>
internal static class ChatPrompt
{
    public static string Format(IEnumerable<(string Role, string? Text)> messages, ChatFormatOptions format)
    {
        var turns = messages.Select(m => (m.Role switch
        {
            "system" => format.SystemPrefix,
            "assistant" => format.AssistantPrefix,
            "tool" => format.ToolPrefix,
            _ => format.UserPrefix,
        }) + m.Text);
        var prompt = string.Join(format.Separator, turns);
        return format.AnswerPrefix.Length == 0 ? prompt : prompt + format.Separator + format.AnswerPrefix;
    }
}
