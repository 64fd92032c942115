using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Rag.Retrieval.Parsing;
using Rag.Text.Code;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// Cuts a parsed document into chunks of at most <see cref="ChunkingOptions.MaxTokens"/> tokens,
/// following its structure: a unit (a Markdown section, a function, a page) that fits is never
/// split; small neighbouring units share a chunk; a unit too big for one chunk is cut at its own
/// sub-units first, then at paragraphs, lines, sentences, words and finally tokens.
/// </summary>
public sealed partial class DocumentChunker
{
    private readonly Tokenizer _tokenizer;
    private readonly ChunkingOptions _options;

    /// <summary>A chunker counting in <paramref name="tokenizer"/>; <paramref name="options"/> must pass <see cref="ChunkingOptions.Check"/>.</summary>
    public DocumentChunker(Tokenizer tokenizer, ChunkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Check() is [var problem, ..])
            throw new ArgumentOutOfRangeException(nameof(options), problem);
        _tokenizer = tokenizer;
        _options = options;
    }

    /// <summary>Chunks <paramref name="document"/>.</summary>
    public IReadOnlyList<TextChunk> Chunk(ParsedDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.Text;
        var blocks = Structure(document, cancellationToken);
        var counts = new TextTokenCounts(_tokenizer, text);
        var pieces = new List<Piece>();
        for (var i = 0; i < blocks.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Fit(text, counts, blocks[i], unit: i, pieces);
        }

        return Pack(text, counts, pieces, cancellationToken);
    }

    private static List<Block> Structure(ParsedDocument document, CancellationToken cancellationToken)
    {
        var text = document.Text;
        return document.Kind switch
        {
            { Format: DocumentFormat.Markdown or DocumentFormat.Html } => MarkdownStructure.Split(text),
            { Format: DocumentFormat.Pdf } => PageStructure.Split(text),
            { Format: DocumentFormat.Code } => CodeLanguages.Find(document.Kind.Language)?.Structure switch
            {
                CodeStructure.CSharpSyntax => CSharpStructure.Split(text, cancellationToken),
                CodeStructure.Indentation => PythonStructure.Split(text),
                _ => BraceStructure.Split(text),
            },
            _ => TextStructure.Split(text),
        };
    }

    /// <summary>A range that fits in one chunk. <c>Unit</c> says which top-level block it came from.</summary>
    private readonly record struct Piece(int Start, int End, int Tokens, string? Section, int Unit);

    private void Fit(string text, TextTokenCounts counts, Block block, int unit, List<Piece> pieces)
    {
        var tokens = CountUnlessClearlyTooLong(counts, block.Start, block.End);
        if (tokens <= _options.MaxTokens)
        {
            pieces.Add(new Piece(block.Start, block.End, tokens, block.Section, unit));
            return;
        }

        if (block.Children.Count > 1)
        {
            foreach (var child in block.Children)
                Fit(text, counts, child with { Section = child.Section ?? block.Section }, unit, pieces);
            return;
        }

        FitText(text, counts, block.Start, block.End, block.Section, unit, level: 0, pieces);
    }

    private void FitText(string text, TextTokenCounts counts, int start, int end, string? section, int unit, int level, List<Piece> pieces)
    {
        var tokens = CountUnlessClearlyTooLong(counts, start, end);
        if (tokens <= _options.MaxTokens)
        {
            pieces.Add(new Piece(start, end, tokens, section, unit));
            return;
        }

        if (level >= Separators.Length)
        {
            HardSplit(text, start, end, section, unit, pieces);
            return;
        }

        var cuts = new List<int>();
        foreach (var match in Separators[level].EnumerateMatches(text.AsSpan(start, end - start)))
        {
            var cut = start + match.Index + match.Length;
            if (cut > start && cut < end)
                cuts.Add(cut);
        }

        if (cuts.Count == 0)
        {
            FitText(text, counts, start, end, section, unit, level + 1, pieces);
            return;
        }

        var from = start;
        foreach (var cut in cuts.Append(end))
        {
            FitText(text, counts, from, cut, section, unit, level + 1, pieces);
            from = cut;
        }
    }

    private void HardSplit(string text, int start, int end, string? section, int unit, List<Piece> pieces)
    {
        while (start < end)
        {
            var span = text.AsSpan(start, end - start);
            var length = _tokenizer.GetIndexByTokenCount(span, _options.MaxTokens, out _, out var tokens);
            if (length <= 0)
                length = char.IsHighSurrogate(span[0]) && span.Length > 1 ? 2 : 1;
            else if (length < span.Length && char.IsLowSurrogate(span[length]))
                length--; // never cut a surrogate pair in two
            pieces.Add(new Piece(start, start + length, Math.Max(tokens, 1), section, unit));
            start += length;
        }
    }

    private List<TextChunk> Pack(string text, TextTokenCounts counts, List<Piece> pieces, CancellationToken cancellationToken)
    {
        var chunks = new List<TextChunk>();
        var seed = new List<Piece>();
        var piecesPerUnit = pieces.CountBy(p => p.Unit).ToDictionary(g => g.Key, g => g.Value);
        var i = 0;
        while (i < pieces.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = new List<Piece>(seed);
            var tokens = seed.Sum(p => p.Tokens);
            for (var j = i; j < pieces.Count && (current.Count == seed.Count || tokens + pieces[j].Tokens <= _options.MaxTokens); j++)
            {
                // A unit too big for one chunk starts a chunk of its own, so its beginning (a
                // heading, a class header) is not left at the end of its neighbour's chunk.
                if (current.Count > seed.Count && pieces[j].Unit != pieces[j - 1].Unit && piecesPerUnit[pieces[j].Unit] > 1)
                    break;
                current.Add(pieces[j]);
                tokens += pieces[j].Tokens;
            }

            var taken = Emit(text, counts, current, seed.Count, chunks) - seed.Count;
            if (taken <= 0)
            {
                seed = []; // the overlap itself left no room: start the next chunk clean
                continue;
            }

            i += taken;
            var last = current[seed.Count + taken - 1];
            seed = i < pieces.Count && pieces[i].Unit == last.Unit
                ? Overlap(current[..(seed.Count + taken)], pieces[i].Tokens)
                : [];
        }

        return chunks;
    }

    /// <summary>The trailing pieces of a full chunk repeated at the start of the next one.</summary>
    private List<Piece> Overlap(List<Piece> previous, int nextTokens)
    {
        var overlap = new List<Piece>();
        var tokens = 0;
        for (var j = previous.Count - 1; j > 0; j--)
        {
            var piece = previous[j];
            if (piece.Unit != previous[^1].Unit || tokens + piece.Tokens > _options.OverlapTokens
                || tokens + piece.Tokens + nextTokens > _options.MaxTokens)
                break;
            overlap.Insert(0, piece);
            tokens += piece.Tokens;
        }

        return overlap;
    }

    /// <summary>
    /// Writes the chunk for <paramref name="current"/>, trimmed of surrounding whitespace. Token
    /// counts of pieces are added up, which can differ from the count of their concatenation by a
    /// token at the joins; the exact count decides, and trailing pieces that break the limit are
    /// handed back. Returns how many pieces the chunk took.
    /// </summary>
    private int Emit(string text, TextTokenCounts counts, List<Piece> current, int seeded, List<TextChunk> chunks)
    {
        for (var take = current.Count; take > seeded; take--)
        {
            var start = current[0].Start;
            var end = current[take - 1].End;
            while (start < end && char.IsWhiteSpace(text[start]))
                start++;
            while (end > start && char.IsWhiteSpace(text[end - 1]))
                end--;
            if (end == start)
                return take;

            var tokens = counts.Count(start, end);
            if (tokens > _options.MaxTokens && take > seeded + 1)
                continue;
            if (tokens > _options.MaxTokens && seeded > 0)
                return seeded;

            var previous = chunks.Count > 0 ? chunks[^1] : null;
            if (previous is not null && previous.Start <= start && previous.End >= end)
                return take; // only overlap, nothing new
            chunks.Add(new TextChunk(chunks.Count, start, end, text[start..end], tokens, current[seeded].Section ?? current[0].Section));
            return take;
        }

        return seeded;
    }

    /// <summary>
    /// A range with more than 12 characters per allowed token cannot fit in practice (English
    /// averages about 4 characters per cl100k token), so it is split without being counted; its
    /// parts are counted instead.
    /// </summary>
    private int CountUnlessClearlyTooLong(TextTokenCounts counts, int start, int end) =>
        end - start > _options.MaxTokens * 12 ? int.MaxValue : counts.Count(start, end);

    private static readonly Regex[] Separators = [Paragraphs(), Lines(), Sentences(), Words()];

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex Paragraphs();

    [GeneratedRegex(@"\n")]
    private static partial Regex Lines();

    [GeneratedRegex(@"[.!?;:][""')\]]*\s+")]
    private static partial Regex Sentences();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Words();
}
