using Microsoft.ML.Tokenizers;
using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

/// <summary>Every tokenizer format a model folder may carry loads through Microsoft.ML.Tokenizers.</summary>
public sealed class TokenizerFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rag-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_tiktoken_encoding_named_in_config_json()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{"tokenizer": "cl100k_base"}""");

        var tokenizer = ModelTokenizers.Load(_folder, ModelConfig.Load(_folder));

        Assert.Equal(TiktokenTokenizer.CreateForEncoding("cl100k_base").EncodeToIds("hello harbour"), tokenizer.EncodeToIds("hello harbour"));
    }

    [Fact]
    public void Byte_level_bpe_from_vocab_json_and_merges_txt()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), "{}");
        File.WriteAllText(Path.Combine(_folder, "vocab.json"),
            """{"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11, "Ġw": 12, "or": 13, "Ġwor": 14, "Ġworl": 15, "Ġworld": 16, "<|endoftext|>": 17}""");
        File.WriteAllText(Path.Combine(_folder, "merges.txt"), "#version: 0.2\nh e\nl l\nhe ll\nhell o\nĠ w\no r\nĠw or\nĠwor l\nĠworl d\n");

        var tokenizer = ModelTokenizers.Load(_folder, ModelConfig.Load(_folder));

        Assert.Equal([11, 16], tokenizer.EncodeToIds("hello world"));
        Assert.Equal("hello world", tokenizer.Decode([11, 16]));
    }

    [Fact]
    public void WordPiece_from_vocab_txt()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), "{}");
        File.WriteAllText(Path.Combine(_folder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n##s\n");

        var tokenizer = ModelTokenizers.Load(_folder, ModelConfig.Load(_folder));

        var ids = tokenizer.EncodeToIds("Hello worlds", considerPreTokenization: true, considerNormalization: true);
        Assert.Contains(5, ids);
        Assert.Contains(6, ids);
        Assert.Contains(7, ids);
    }
}
