using System.Text;

namespace Rag.Retrieval.Parsing;

/// <summary>Strict UTF-8 decoding: binary junk is refused instead of becoming mojibake in the index.</summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 (a BOM is dropped) and rejects content that is not text.</summary>
    /// <exception cref="DocumentParseException">The bytes are not UTF-8 text.</exception>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];

        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DocumentParseException(
                $"The content is not valid UTF-8 text (invalid byte at offset {e.Index}); upload text in UTF-8 or a supported binary format such as PDF.", e);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
            throw new DocumentParseException("The content contains NUL characters: it looks like a binary file, not text.");
        return text;
    }
}
