using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rag.Engine.Models;

/// <summary>
/// What a model folder's <c>config.json</c> says, in the Hugging Face key names
/// (<c>num_hidden_layers</c>, <c>num_attention_heads</c>, <c>num_key_value_heads</c>, <c>hidden_size</c>,
/// <c>head_dim</c>, <c>vocab_size</c>, <c>bos_token_id</c>, <c>eos_token_id</c>,
/// <c>max_position_embeddings</c>), so an exported Qwen2.5, Phi-3 or Llama folder reads as is.
/// </summary>
public sealed class ModelConfig
{
    private ModelConfig(JsonObject json, string path) => (Json, Path) = (json, path);

    /// <summary>The raw document, for keys this class does not model.</summary>
    public JsonObject Json { get; }

    /// <summary>The model folder.</summary>
    public string Path { get; }

    /// <summary>Transformer layers.</summary>
    public int Layers => Int("num_hidden_layers") ?? throw Missing("num_hidden_layers");

    /// <summary>Attention heads.</summary>
    public int Heads => Int("num_attention_heads") ?? throw Missing("num_attention_heads");

    /// <summary>Key/value heads (grouped-query attention); the attention heads when not set.</summary>
    public int KeyValueHeads => Int("num_key_value_heads") ?? Heads;

    /// <summary>Width of the hidden states (the vector length of an encoder).</summary>
    public int HiddenSize => Int("hidden_size") ?? throw Missing("hidden_size");

    /// <summary>Width of one head.</summary>
    public int HeadDim => Int("head_dim") ?? (HiddenSize / Heads);

    /// <summary>Tokens in the vocabulary.</summary>
    public int VocabSize => Int("vocab_size") ?? throw Missing("vocab_size");

    /// <summary>The beginning-of-sequence token, or null.</summary>
    public int? BosTokenId => Int("bos_token_id");

    /// <summary>The padding token, or null.</summary>
    public int? PadTokenId => Int("pad_token_id");

    /// <summary>End-of-sequence ids: <c>eos_token_id</c> may be one id or a list.</summary>
    public IReadOnlyList<int> EosTokenIds => Json["eos_token_id"] switch
    {
        JsonArray ids => ids.Select(id => id!.GetValue<int>()).ToList(),
        JsonValue id => [id.GetValue<int>()],
        _ => [],
    };

    /// <summary>The longest sequence the model takes.</summary>
    public int MaxPositions => Int("max_position_embeddings") ?? throw Missing("max_position_embeddings");

    /// <summary>The tokenizer named by <c>tokenizer</c> (a file in the folder or a tiktoken encoding name), if any.</summary>
    public string? Tokenizer => Json["tokenizer"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;

    /// <summary>Whether a sequence given to the model starts with the BOS token (<c>prepend_bos</c>; decoders default to yes when they have one).</summary>
    public bool PrependBos => Json["prepend_bos"] is JsonValue value && value.TryGetValue<bool>(out var prepend) ? prepend : BosTokenId is not null;

    /// <summary>An encoder's pooling (<c>pooling</c>: <c>mean</c>, the default, or <c>cls</c>).</summary>
    public Pooling Pooling => String("pooling") switch
    {
        null or "mean" => Pooling.Mean,
        "cls" => Pooling.Cls,
        var other => throw new ModelLoadException($"{Path}: \"pooling\" must be \"mean\" or \"cls\"; it is \"{other}\"."),
    };

    /// <summary>Whether an encoder's vectors are L2-normalised (<c>normalize</c>, default true). Search compares unit vectors by dot product.</summary>
    public bool Normalize => Bool("normalize") ?? true;

    /// <summary>Text put before every query an encoder embeds (<c>query_prefix</c>, default none).</summary>
    public string QueryPrefix => String("query_prefix") ?? "";

    /// <summary>Text put before every document an encoder embeds (<c>document_prefix</c>, default none).</summary>
    public string DocumentPrefix => String("document_prefix") ?? "";

    /// <summary>Most tokens an encoder reads of one text, special tokens included (<c>max_tokens</c>, default <c>max_position_embeddings</c>).</summary>
    public int MaxTokens => Math.Min(Int("max_tokens") ?? MaxPositions, MaxPositions);

    /// <summary>The dense list's weight in hybrid search fitted for this encoder (<c>hybrid_dense_weight</c>), if any.</summary>
    public double? HybridDenseWeight => Fraction("hybrid_dense_weight");

    /// <summary>How much BM25's confidence lowers the dense weight per query, fitted for this encoder (<c>hybrid_lexical_gap_weight</c>), if any.</summary>
    public double? HybridLexicalGapWeight => Json["hybrid_lexical_gap_weight"] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<double>(out var weight) && weight >= 0 => weight,
        _ => throw new ModelLoadException($"{Path}: \"hybrid_lexical_gap_weight\" must be a number, 0 or more."),
    };

    /// <summary>The share of hybrid search's dense weight given to a chunk's best unit (max-sim), fitted for this encoder (<c>hybrid_unit_share</c>), if any.</summary>
    public double? HybridUnitShare => Fraction("hybrid_unit_share");

    /// <summary>The encoder's weight against BM25 in ranking sentences for compression and extractive answers (<c>sentence_dense_weight</c>), if any.</summary>
    public double? SentenceDenseWeight => Fraction("sentence_dense_weight");

    /// <summary>A number from 0 to 1 under <paramref name="key"/>, or null when it is absent.</summary>
    private double? Fraction(string key) => Json[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<double>(out var number) && number is >= 0 and <= 1 => number,
        _ => throw new ModelLoadException($"{Path}: \"{key}\" must be a number from 0 to 1."),
    };

    /// <summary>Whether a WordPiece tokenizer lower-cases (<c>do_lower_case</c>, default true: uncased models).</summary>
    public bool DoLowerCase => Bool("do_lower_case") ?? true;

    /// <summary>Whether a WordPiece tokenizer strips accents (<c>strip_accents</c>, default: as <see cref="DoLowerCase"/>, like Hugging Face's).</summary>
    public bool StripAccents => Bool("strip_accents") ?? DoLowerCase;

    /// <summary>Reads <c>config.json</c> in <paramref name="folder"/>.</summary>
    public static ModelConfig Load(string folder)
    {
        var path = System.IO.Path.Combine(folder, "config.json");
        if (!File.Exists(path))
            throw new ModelLoadException($"{path} is missing: a model folder needs a config.json (Hugging Face keys: num_hidden_layers, vocab_size, ...).");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject json
                ? new ModelConfig(json, path)
                : throw new ModelLoadException($"{path} must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private int? Int(string key)
    {
        var node = Json[key];
        if (node is null)
            return null;
        if (node is JsonValue value && value.TryGetValue<int>(out var number))
            return number;
        throw new ModelLoadException($"{Path}: \"{key}\" must be an integer.");
    }

    private string? String(string key) => Json[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new ModelLoadException($"{Path}: \"{key}\" must be a string."),
    };

    private bool? Bool(string key) => Json[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        _ => throw new ModelLoadException($"{Path}: \"{key}\" must be true or false."),
    };

    private ModelLoadException Missing(string key) => new($"{Path} has no \"{key}\".");
}
