using Microsoft.ML.Tokenizers;

namespace Rag.Engine.Models;

/// <summary>
/// What the encoder reads for a text: its token ids (prefix and special tokens, truncated to the model's window), the
/// token range of each span asked for, and the character windows of a text longer than the window. A WordPiece
/// folder gets BERT's [CLS] … [SEP] framing. No model: tokenising only.
/// </summary>
internal sealed class EmbedderInput(ModelConfig config, Tokenizer tokenizer)
{
    private readonly BertTokenizer? _bert = tokenizer as BertTokenizer;
    private ModelConfig Config { get; } = config;
    private Tokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The most tokens the model reads at once.</summary>
    public int MaxTokens => Config.MaxTokens;

    /// <summary>
    /// Character windows of <paramref name="text"/> that each fit the model's window after <paramref name="context"/>,
    /// cut at word-piece boundaries (at a line break or space when one is near), covering the text. One window when it fits.
    /// </summary>
    public IReadOnlyList<(int Start, int End)> Windows(string text, string context)
    {
        if (_bert is not { } bert || context.Length + text.Length + Config.DocumentPrefix.Length <= MaxTokens - 8)
            return [(0, text.Length)]; // a word piece covers at least one character: it fits
        var room = MaxTokens - 2 - Encode(context, Config.DocumentPrefix).Ids.Length + 2 - 4; // a few tokens of slack at the joins
        if (room < 32)
            return [(0, text.Length)];
        var (normalised, tokens) = WordPieces(bert, text);
        if (tokens.Count <= room)
            return [(0, text.Length)];
        var windows = new List<(int, int)>();
        var start = 0;
        var first = 0;
        while (first < tokens.Count)
        {
            var last = Math.Min(tokens.Count, first + room); // tokens [first, last)
            if (last < tokens.Count)
            {
                // Prefer to end at a line break among the window's last quarter of tokens.
                for (var t = last - 1; t > first + (room * 3 / 4); t--)
                {
                    var gap = normalised.AsSpan(tokens[t - 1].Offset.End.GetOffset(normalised.Length), tokens[t].Offset.Start.GetOffset(normalised.Length) - tokens[t - 1].Offset.End.GetOffset(normalised.Length));
                    if (gap.Contains('\n'))
                    {
                        last = t;
                        break;
                    }
                }
            }

            var end = last < tokens.Count ? tokens[last].Offset.Start.GetOffset(normalised.Length) : text.Length;
            windows.Add((start, end));
            start = end;
            first = last;
        }

        return windows;
    }

    /// <summary>The token ids the model reads for <paramref name="text"/> (prefix and special tokens included, truncated to <see cref="MaxTokens"/>).</summary>
    public EncodedText Encode(string text, string prefix)
    {
        text = prefix + (text ?? "");
        if (_bert is not null)
        {
            // [CLS] text [SEP], as BERT was trained; truncation keeps the frame. White space other than a space becomes a
            // space first, as BERT's own text cleaning does: the tokenizer's normalizer drops line breaks as control
            // characters, which glued the words on either side of one ("town\nThe" read as "town ##the").
            var pieces = _bert.EncodeToIds(Spaced(Config.StripAccents ? AccentFolding.Fold(text) : text), addSpecialTokens: false);
            var room = MaxTokens - 2;
            var kept = Math.Min(pieces.Count, room);
            var framed = new long[kept + 2];
            framed[0] = _bert.ClassificationTokenId;
            for (var i = 0; i < kept; i++)
                framed[i + 1] = pieces[i];
            framed[^1] = _bert.SeparatorTokenId;
            return new EncodedText(framed, pieces.Count > room);
        }

        var ids = Tokenizer.EncodeToIds(text);
        var bos = Config.PrependBos && Config.BosTokenId is not null ? 1 : 0;
        var space = MaxTokens - bos;
        var result = new long[Math.Min(ids.Count, space) + bos];
        if (bos == 1)
            result[0] = Config.BosTokenId!.Value;
        for (var i = bos; i < result.Length; i++)
            result[i] = ids[i - bos];
        return new EncodedText(result, ids.Count > space);
    }

    /// <summary>The text with every white-space character a plain space (the same length, so offsets hold).</summary>
    private static string Spaced(string text)
    {
        if (!text.AsSpan().ContainsAny(ControlSpace))
            return text;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsWhiteSpace(source[i]) ? ' ' : source[i];
        });
    }

    private static readonly System.Buffers.SearchValues<char> ControlSpace = System.Buffers.SearchValues.Create("\t\n\v\f\r\u0085\u00a0\u2028\u2029");

    /// <summary>
    /// The WordPiece tokens of <paramref name="input"/>, normalised here character for character (lower case, accents
    /// folded) so each token's offsets are the input's own; the normalised text the offsets index.
    /// </summary>
    private (string Normalised, List<EncodedToken> Tokens) WordPieces(BertTokenizer bert, string input)
    {
        var normalised = Config.DoLowerCase ? input.ToLowerInvariant() : input;
        normalised = Config.StripAccents ? AccentFolding.Fold(normalised) : normalised;
        if (normalised.Length != input.Length)
            normalised = input;
        var tokens = bert.EncodeToTokens(normalised, out _, considerPreTokenization: true, considerNormalization: false)
            .Where(t => t.Id != bert.ClassificationTokenId && t.Id != bert.SeparatorTokenId)
            .ToList();
        return (normalised, tokens);
    }

    /// <summary>
    /// <see cref="Encode"/> with each span's token range: the text is normalised here, character for character
    /// (lower case, accents folded), so the WordPiece tokens' offsets are the text's own. Not WordPiece: no ranges.
    /// </summary>
    public EncodedText EncodeWithSpans(string text, string prefix, IReadOnlyList<(int Start, int End)> spans)
    {
        if (_bert is not { } bert)
            return Encode(text, prefix) with { Spans = new (int, int)[spans.Count] };
        var (normalised, tokens) = WordPieces(bert, prefix + (text ?? ""));
        var kept = Math.Min(tokens.Count, MaxTokens - 2);
        var ids = new long[kept + 2];
        ids[0] = bert.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
            ids[i + 1] = tokens[i].Id;
        ids[^1] = bert.SeparatorTokenId;
        var ranges = new (int First, int Count)[spans.Count];
        for (var s = 0; s < spans.Count; s++)
        {
            var start = spans[s].Start + prefix.Length;
            var end = spans[s].End + prefix.Length;
            int first = -1, last = -1;
            for (var t = 0; t < kept; t++)
            {
                if (tokens[t].Offset.Start.GetOffset(normalised.Length) < end && tokens[t].Offset.End.GetOffset(normalised.Length) > start)
                {
                    first = first < 0 ? t : first;
                    last = t;
                }
            }

            // Whole spans only: one cut by the window is left to a pass of its own.
            var cut = last == kept - 1 && tokens.Count > kept;
            ranges[s] = first < 0 || cut ? default : (first + 1, last - first + 1);
        }

        return new EncodedText(ids, tokens.Count > kept, ranges);
    }
}

/// <summary>A text as the model reads it: token ids, whether it was cut, and the token range of each span asked for (empty: none).</summary>
internal sealed record EncodedText(long[] Ids, bool Truncated, (int First, int Count)[]? Spans = null);
