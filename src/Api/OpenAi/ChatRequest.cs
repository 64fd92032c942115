using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rag.Api.OpenAi;

/// <summary>
/// A chat completion request as OpenAI defines it, read from its JSON. The JSON itself is kept:
/// proxy mode forwards it with only the compressed message contents replaced (tools, response
/// formats and anything else pass through).
/// </summary>
internal sealed class ChatRequest
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    private ChatRequest(JsonObject json) => Json = json;

    public JsonObject Json { get; }

    /// <summary>Role and text of each message; text is null when the content is not plain text (images, audio).</summary>
    public List<(string Role, string? Text)> Messages { get; } = [];

    public bool Stream { get; private set; }

    public bool IncludeUsage { get; private set; }

    public int? MaxTokens { get; private set; }

    public float? Temperature { get; private set; }

    public float? TopP { get; private set; }

    public int? Seed { get; private set; }

    public List<string> Stop { get; } = [];

    /// <summary>Reads and checks the request; <paramref name="maxOutputTokens"/> caps <c>max_tokens</c> (Rag:Limits:MaxOutputTokens).</summary>
    public static ChatRequest Parse(JsonNode? body, int maxOutputTokens)
    {
        if (body is not JsonObject json)
            throw new OpenAiRequestException(null, "The request body must be a JSON object.");
        var request = new ChatRequest(json);
        if (json["messages"] is not JsonArray { Count: > 0 } messages)
            throw new OpenAiRequestException("messages", "'messages' is required: a non-empty array of messages.");
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue roleValue
                || !roleValue.TryGetValue<string>(out var role) || !Roles.Contains(role))
                throw new OpenAiRequestException($"messages[{i}].role", $"'messages[{i}].role' must be one of system, developer, user, assistant, tool.");
            request.Messages.Add((role == "developer" ? "system" : role, TextOf(message["content"], i, role)));
        }

        request.Stream = Bool(json, "stream") ?? false;
        request.IncludeUsage = json["stream_options"] switch
        {
            null => false,
            JsonObject options => Bool(options, "include_usage", "stream_options.include_usage") ?? false,
            _ => throw new OpenAiRequestException("stream_options", "'stream_options' must be an object, like {\"include_usage\": true}."),
        };
        request.MaxTokens = Int(json, "max_completion_tokens", 1, maxOutputTokens) ?? Int(json, "max_tokens", 1, maxOutputTokens);
        request.Temperature = (float?)Number(json, "temperature", 0, 2);
        request.TopP = (float?)Number(json, "top_p", double.Epsilon, 1);
        request.Seed = Int(json, "seed", int.MinValue, int.MaxValue);
        if (Int(json, "n", 1, 128) is > 1)
            throw new OpenAiRequestException("n", "Only n = 1 is supported.");
        switch (json["stop"])
        {
            case null:
                break;
            case JsonValue single when single.TryGetValue<string>(out var text) && text.Length > 0:
                request.Stop.Add(text);
                break;
            case JsonArray { Count: <= 4 } list when list.All(s => s is JsonValue v && v.TryGetValue<string>(out var t) && t.Length > 0):
                request.Stop.AddRange(list.Select(s => s!.GetValue<string>()));
                break;
            default:
                throw new OpenAiRequestException("stop", "'stop' must be a non-empty string or an array of up to 4 of them.");
        }

        return request;
    }

    /// <summary>Replaces the text content of message <paramref name="index"/> in the JSON (proxy mode).</summary>
    public void SetText(int index, string text) => Json["messages"]![index]!["content"] = text;

    private static string? TextOf(JsonNode? content, int index, string role) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        null when role == "assistant" => "", // an assistant turn that only called tools
        JsonArray parts when parts.All(p => p is JsonObject part && Text(part["type"]) is not null) =>
            parts.All(p => Text(p!["type"]) == "text")
                ? string.Concat(parts.Select((p, j) => Text(p!["text"])
                    ?? throw new OpenAiRequestException($"messages[{index}].content[{j}].text", $"'messages[{index}].content[{j}].text' must be a string.")))
                : null, // images, audio: not text, left as they are
        JsonArray => throw new OpenAiRequestException($"messages[{index}].content", $"Each part of 'messages[{index}].content' must be an object with a string 'type'."),
        _ => throw new OpenAiRequestException($"messages[{index}].content", $"'messages[{index}].content' must be a string or an array of content parts."),
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool? Bool(JsonObject json, string name, string? path = null) => json[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        _ => throw new OpenAiRequestException(path ?? name, $"'{path ?? name}' must be a boolean."),
    };

    private static int? Int(JsonObject json, string name, int min, int max)
    {
        if (json[name] is null)
            return null;
        if (json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) && n >= min && n <= max)
            return (int)n;
        throw new OpenAiRequestException(name, string.Create(CultureInfo.InvariantCulture, $"'{name}' must be an integer from {min} to {max}."));
    }

    private static double? Number(JsonObject json, string name, double min, double max)
    {
        if (json[name] is null)
            return null;
        if (json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var x) && x >= min && x <= max)
            return x;
        throw new OpenAiRequestException(name, string.Create(CultureInfo.InvariantCulture, $"'{name}' must be a number from {(min == double.Epsilon ? "above 0" : min.ToString(CultureInfo.InvariantCulture))} to {max}."));
    }
}
