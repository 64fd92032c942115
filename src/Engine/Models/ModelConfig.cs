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

    public string Path { get; }

    public int Layers => Int("num_hidden_layers") ?? throw Missing("num_hidden_layers");

    public int Heads => Int("num_attention_heads") ?? throw Missing("num_attention_heads");

    public int KeyValueHeads => Int("num_key_value_heads") ?? Heads;

    public int HiddenSize => Int("hidden_size") ?? throw Missing("hidden_size");

    public int HeadDim => Int("head_dim") ?? (HiddenSize / Heads);

    public int VocabSize => Int("vocab_size") ?? throw Missing("vocab_size");

    public int? BosTokenId => Int("bos_token_id");

    public int? PadTokenId => Int("pad_token_id");

    /// <summary>End-of-sequence ids: <c>eos_token_id</c> may be one id or a list.</summary>
    public IReadOnlyList<int> EosTokenIds => Json["eos_token_id"] switch
    {
        JsonArray ids => ids.Select(id => id!.GetValue<int>()).ToList(),
        JsonValue id => [id.GetValue<int>()],
        _ => [],
    };

    public int MaxPositions => Int("max_position_embeddings") ?? throw Missing("max_position_embeddings");

    /// <summary>The tokenizer named by <c>tokenizer</c> (a file in the folder or a tiktoken encoding name), if any.</summary>
    public string? Tokenizer => Json["tokenizer"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;

    /// <summary>Whether a sequence given to the model starts with the BOS token (<c>prepend_bos</c>; decoders default to yes when they have one).</summary>
    public bool PrependBos => Json["prepend_bos"] is JsonValue value && value.TryGetValue<bool>(out var prepend) ? prepend : BosTokenId is not null;

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

    private ModelLoadException Missing(string key) => new($"{Path} has no \"{key}\".");
}
