using Microsoft.ML.Tokenizers;

namespace Rag.Engine.Models;

/// <summary>
/// Loads a model folder's tokenizer through Microsoft.ML.Tokenizers: SentencePiece
/// (<c>tokenizer.model</c>), byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c>), WordPiece
/// (<c>vocab.txt</c>), or a tiktoken encoding named in config.json (<c>"tokenizer": "cl100k_base"</c>).
/// </summary>
internal static class ModelTokenizers
{
    public static Tokenizer Load(string folder, ModelConfig config)
    {
        var named = config.Tokenizer;
        if (named is "cl100k_base" or "o200k_base")
            return TiktokenTokenizer.CreateForEncoding(named);

        var sentencePiece = Path.Combine(folder, named ?? "tokenizer.model");
        if (File.Exists(sentencePiece) && sentencePiece.EndsWith(".model", StringComparison.Ordinal))
        {
            using var stream = File.OpenRead(sentencePiece);
            // Callers decide about BOS themselves (config.json says whether the model wants one).
            return LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
        }

        var vocab = Path.Combine(folder, "vocab.json");
        var merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges))
        {
            using var vocabStream = File.OpenRead(vocab);
            using var mergesStream = File.OpenRead(merges);
            return CodeGenTokenizer.Create(vocabStream, mergesStream, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
        }

        var wordPiece = Path.Combine(folder, "vocab.txt");
        if (File.Exists(wordPiece))
        {
            using var stream = File.OpenRead(wordPiece);
            // As Hugging Face's BertTokenizer: an uncased vocabulary has no accented pieces, so accents are
            // stripped with the case ("Röntgen" → "ron ##t ##gen", not [UNK]). The tokenizer's own option
            // needs ICU, which invariant globalization lacks: OnnxEmbedder folds accents first (AccentFolding).
            return BertTokenizer.Create(stream, new BertOptions
            {
                LowerCaseBeforeTokenization = config.DoLowerCase,
                RemoveNonSpacingMarks = config.StripAccents,
            });
        }

        throw new ModelLoadException(
            $"{folder} has no tokenizer: expected tokenizer.model (SentencePiece), vocab.json + merges.txt (byte-level BPE), "
            + "vocab.txt (WordPiece), or \"tokenizer\": \"cl100k_base\" | \"o200k_base\" in config.json.");
    }
}
