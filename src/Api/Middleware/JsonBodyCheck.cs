using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Rag.Api.Middleware;

/// <summary>
/// The one place request JSON is checked as text: well-formed, every string valid Unicode (UTF-8
/// bytes that decode, escapes that do not leave a lone surrogate), no object with the same key twice,
/// nesting within a depth. After it passes, any reader of the body sees exactly one meaning.
/// </summary>
internal static class JsonBodyCheck
{
    /// <summary>Deepest nesting accepted (System.Text.Json's own default).</summary>
    public const int MaxDepth = 64;

    /// <summary>The first fault of <paramref name="json"/>: the field it is in ("body" for the document itself) and what to tell the caller; null when the body is sound.</summary>
    public static (string Field, string Message)? Find(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!TryText(ref reader, out var name))
                            return (Path(frames), "A property name is not valid Unicode (invalid UTF-8, or an escaped lone surrogate).");
                        var frame = frames[^1];
                        frame.Name = name;
                        if (!frame.Names!.Add(name))
                            return (Path(frames), $"'{name}' appears more than once in the same object.");
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        continue;
                }

                // A value: in an array, it is the next element.
                if (frames.Count > 0 && frames[^1].Names is null)
                    frames[^1].Index++;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        frames.Add(new Frame { Names = new HashSet<string>(StringComparer.Ordinal) });
                        break;
                    case JsonTokenType.StartArray:
                        frames.Add(new Frame());
                        break;
                    case JsonTokenType.String when !TryText(ref reader, out _):
                        return (Path(frames), "The text is not valid Unicode (invalid UTF-8, or an escaped lone surrogate).");
                }
            }
        }
        catch (JsonException)
        {
            var depth = reader.CurrentDepth >= MaxDepth ? $" or nested deeper than {MaxDepth} levels" : "";
            return ("body", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The request body is not valid JSON{depth} (at byte {reader.BytesConsumed})."));
        }

        return null;
    }

    private static bool TryText(ref Utf8JsonReader reader, out string text)
    {
        text = "";
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            if (!Utf8.IsValid(reader.ValueSpan))
                return false;
            text = reader.TokenType == JsonTokenType.PropertyName ? Encoding.UTF8.GetString(reader.ValueSpan) : "";
            return true;
        }

        try
        {
            text = reader.GetString() ?? "";
            // Escapes decode to UTF-16; a \uD800 with no low surrogate after it passes GetString in
            // some versions, so the decoded text is checked too.
            return !HasLoneSurrogate(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }

        return false;
    }

    /// <summary>"messages[0].content" for the value being read; "body" at the top.</summary>
    private static string Path(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.Names is not null && frame.Name is not null)
                path.Append(path.Length > 0 ? "." : "").Append(frame.Name);
            else if (frame.Names is null && frame.Index >= 0)
                path.Append('[').Append(frame.Index).Append(']');
        }

        return path.Length == 0 ? "body" : path.ToString();
    }

    private sealed class Frame
    {
        public HashSet<string>? Names { get; init; }

        public string? Name { get; set; }

        public int Index { get; set; } = -1;
    }
}
