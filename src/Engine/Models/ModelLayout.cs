using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Engine.Models;

/// <summary>Checks a loaded graph against the layout the engine drives and the folder's config.json.</summary>
internal static class ModelLayout
{
    public static void CheckDecoder(InferenceSession session, ModelConfig config, string path)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        Require(inputs, path, "input", "input_ids", "attention_mask");
        Require(outputs, path, "output", "logits");
        var layers = inputs.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal) && k.EndsWith(".key", StringComparison.Ordinal));
        if (layers != config.Layers)
            throw new ModelLoadException($"{path} has past_key_values for {layers} layers; config.json says num_hidden_layers = {config.Layers}.");
        for (var layer = 0; layer < config.Layers; layer++)
        {
            foreach (var part in OnnxDecoder.KeyValue)
            {
                Require(inputs, path, "input", $"past_key_values.{layer}.{part}");
                Require(outputs, path, "output", $"present.{layer}.{part}");
                var past = inputs[$"past_key_values.{layer}.{part}"];
                if (past.ElementDataType != TensorElementType.Float)
                    throw new ModelLoadException($"{path}: past_key_values.{layer}.{part} is {past.ElementDataType}; the engine runs float32 KV caches.");
                CheckDimension(path, $"past_key_values.{layer}.{part}", past.Dimensions, 1, config.KeyValueHeads, "num_key_value_heads");
                CheckDimension(path, $"past_key_values.{layer}.{part}", past.Dimensions, 3, config.HeadDim, "head_dim");
            }
        }

        var logits = outputs["logits"];
        if (logits.ElementDataType != TensorElementType.Float)
            throw new ModelLoadException($"{path}: logits are {logits.ElementDataType}; the engine reads float32 logits.");
        CheckDimension(path, "logits", logits.Dimensions, 2, config.VocabSize, "vocab_size");
    }

    public static void CheckGemFilter(InferenceSession session, string path, string output)
    {
        Require(session.InputMetadata, path, "input", "input_ids", "attention_mask", "position_ids");
        Require(session.OutputMetadata, path, "output", output);
    }

    public static void CheckEmbedder(InferenceSession session, ModelConfig config, string path)
    {
        Require(session.InputMetadata, path, "input", "input_ids", "attention_mask");
        Require(session.OutputMetadata, path, "output", "last_hidden_state");
        var hidden = session.OutputMetadata["last_hidden_state"];
        CheckDimension(path, "last_hidden_state", hidden.Dimensions, 2, config.HiddenSize, "hidden_size");
    }

    private static void Require(IReadOnlyDictionary<string, NodeMetadata> nodes, string path, string kind, params string[] names)
    {
        foreach (var name in names)
        {
            if (!nodes.ContainsKey(name))
                throw new ModelLoadException($"{path} has no {kind} named \"{name}\" (it has: {string.Join(", ", nodes.Keys)}).");
        }
    }

    private static void CheckDimension(string path, string name, int[] dimensions, int axis, int expected, string key)
    {
        if (dimensions.Length <= axis)
            throw new ModelLoadException($"{path}: {name} has {dimensions.Length} dimensions; expected at least {axis + 1}.");
        if (dimensions[axis] > 0 && dimensions[axis] != expected)
            throw new ModelLoadException($"{path}: {name} has {dimensions[axis]} on axis {axis}; config.json says {key} = {expected}.");
    }
}
