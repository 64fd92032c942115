using Microsoft.ML.Tokenizers;

namespace Rag.Compression.Text;

/// <summary>
/// Token ids of a text with the character each token starts at. Text is always encoded whole and
/// mapped back, never piece by piece: SentencePiece adds a dummy "▁" to the start of every piece it
/// is given, so " harbour" encoded alone becomes "▁▁" + "h" + ... — tokens the model never sees in
/// running text, which would make every word look surprising.
/// </summary>
public static class TokenAlignment
{
    /// <summary>The token ids of <paramref name="text"/> and the character where each token starts.</summary>
    public static (IReadOnlyList<int> Ids, int[] Starts) Encode(Tokenizer tokenizer, string text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        var tokens = tokenizer.EncodeToTokens(text, out var normalized);
        // SentencePiece normalises " " to "▁" one for one and prepends one "▁" (the dummy prefix);
        // offsets are into that normalised text. Tiktoken does not normalise.
        var shift = normalized is null || normalized.Length == text.Length ? 0 : normalized.Length - text.Length;
        var ids = new int[tokens.Count];
        var starts = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            starts[i] = Math.Clamp(tokens[i].Offset.Start.Value - shift, 0, text.Length);
        }

        return (ids, starts);
    }
}
