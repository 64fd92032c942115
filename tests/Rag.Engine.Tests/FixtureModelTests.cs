using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Rag.Engine.Tests;

/// <summary>
/// The committed fixture models (models/) load in ONNX Runtime (CPU), match their config.json, and
/// compute what the export script measured: the same tokenizer ids (a probe sentence's NLL depends
/// on them), the same KV-cache behaviour, the same embeddings.
/// </summary>
public sealed class FixtureModelTests : IDisposable
{
    private static readonly string Models = Path.Combine(Rag.Tests.Shared.TestFiles.RepositoryRoot(), "models");
    private readonly string _decoder = Path.Combine(Models, "tiny-decoder");
    private readonly string _embedder = Path.Combine(Models, "tiny-embedder");
    private readonly JsonNode _decoderConfig;
    private readonly JsonNode _embedderConfig;
    private readonly InferenceSession _decoderSession;

    public FixtureModelTests()
    {
        _decoderConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(_decoder, "config.json")))!;
        _embedderConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(_embedder, "config.json")))!;
        _decoderSession = new InferenceSession(Path.Combine(_decoder, "model.onnx"));
    }

    public void Dispose() => _decoderSession.Dispose();

    private int Layers => _decoderConfig["num_hidden_layers"]!.GetValue<int>();
    private int Heads => _decoderConfig["num_key_value_heads"]!.GetValue<int>();
    private int HeadDim => _decoderConfig["head_dim"]!.GetValue<int>();
    private int Vocab => _decoderConfig["vocab_size"]!.GetValue<int>();

    [Fact]
    public void The_decoder_has_the_optimum_layout_its_config_describes()
    {
        var inputs = _decoderSession.InputMetadata;
        var outputs = _decoderSession.OutputMetadata;
        string[] expectedInputs = ["input_ids", "attention_mask", "position_ids",
            .. Enumerable.Range(0, Layers).SelectMany(i => new[] { $"past_key_values.{i}.key", $"past_key_values.{i}.value" })];
        string[] expectedOutputs = ["logits", "token_nll",
            .. Enumerable.Range(0, Layers).SelectMany(i => new[] { $"present.{i}.key", $"present.{i}.value" })];

        Assert.Equal(expectedInputs, inputs.Keys);
        Assert.Equal(expectedOutputs, outputs.Keys);
        Assert.Equal(typeof(long), inputs["input_ids"].ElementType);
        Assert.Equal([-1, Heads, -1, HeadDim], inputs["past_key_values.0.key"].Dimensions);
        Assert.Equal([-1, Heads, -1, HeadDim], outputs[$"present.{Layers - 1}.value"].Dimensions);
        Assert.Equal(Vocab, outputs["logits"].Dimensions[^1]);
        Assert.Equal(2, outputs["token_nll"].Dimensions.Length);
    }

    [Fact]
    public void Every_committed_model_file_matches_the_manifest()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Models, "manifest.json")))!;
        var files = manifest["files"]!.AsObject();

        Assert.Contains("tiny-decoder/model.onnx", files.Select(f => f.Key));
        Assert.Contains("tiny-embedder/model.onnx", files.Select(f => f.Key));
        foreach (var (name, entry) in files)
        {
            var path = Path.Combine(Models, name);
            Assert.True(File.Exists(path), $"{name} is in the manifest but not in models/");
            using var stream = File.OpenRead(path);
            Assert.Equal(entry!["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        }

        var total = files.Sum(f => f.Value!["bytes"]!.GetValue<long>());
        Assert.True(total <= 30L * 1024 * 1024, $"the fixture models take {total} bytes; the budget is 30 MB");
    }

    [Fact]
    public void The_tokenizer_loads_in_dotnet_and_round_trips_text_and_code()
    {
        var tokenizer = Tokenizer();
        foreach (var text in new[] { "The pass key is 71432. Remember it.", "def f(x):\n    return x + 1\n\n\nclass A:\n\tpass\n", "naïve café — 北京" })
        {
            var ids = tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);
            Assert.All(ids, id => Assert.InRange(id, 0, Vocab - 1));
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void The_decoder_scores_the_probe_sentence_as_the_export_script_measured()
    {
        var probe = _decoderConfig["probe"]!;
        var ids = Probe(probe["text"]!.GetValue<string>());

        var (_, nll, _) = RunDecoder(ids, []);

        var mean = nll[..^1].Average();
        Assert.Equal(probe["mean_nll"]!.GetValue<double>(), mean, 3);
    }

    [Fact]
    public void Logits_with_the_kv_cache_equal_logits_without()
    {
        var ids = Probe("Ships may enter the harbour at high water only, by the fairway buoy.");
        var split = ids.Length / 2;

        var (full, _, _) = RunDecoder(ids, []);
        var (_, _, past) = RunDecoder(ids[..split], []);
        var (rest, _, _) = RunDecoder(ids[split..], past, split);

        for (var i = 0; i < rest.Length; i++)
            Assert.True(Math.Abs(full[(split * Vocab) + i] - rest[i]) < 1e-3, $"logit {i} differs");
    }

    [Fact]
    public void The_gemfilter_graph_scores_every_position()
    {
        var gem = _decoderConfig["gemfilter"]!;
        using var session = new InferenceSession(Path.Combine(_decoder, gem["graph"]!.GetValue<string>()));
        var ids = Probe(_decoderConfig["probe"]!["text"]!.GetValue<string>());
        var n = ids.Length;

        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, [1, n]);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, n).ToArray(), [1, n]);
        using var positions = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, n).Select(p => (long)p).ToArray(), [1, n]);
        using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask", "position_ids"], [inputIds, mask, positions], [gem["output"]!.GetValue<string>()]);

        Assert.Equal([1L, n], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.All(outputs[0].GetTensorDataAsSpan<float>().ToArray(), s => Assert.True(float.IsFinite(s)));
        Assert.InRange(gem["layer"]!.GetValue<int>(), 0, Layers - 1);
    }

    [Fact]
    public void The_embedder_has_the_bert_layout_and_embeds_the_probe_as_measured()
    {
        using var session = new InferenceSession(Path.Combine(_embedder, "model.onnx"));
        Assert.Equal(["input_ids", "attention_mask"], session.InputMetadata.Keys);
        Assert.Equal(["last_hidden_state"], session.OutputMetadata.Keys);
        var hidden = _embedderConfig["hidden_size"]!.GetValue<int>();
        var probe = _embedderConfig["probe"]!;
        var ids = Probe(probe["text"]!.GetValue<string>());
        var n = ids.Length;

        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, [1, n]);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, n).ToArray(), [1, n]);
        using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask"], [inputIds, mask], ["last_hidden_state"]);

        Assert.Equal([1L, n, hidden], outputs[0].GetTensorTypeAndShape().Shape);
        var states = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var pooled = Enumerable.Range(0, hidden).Select(d => Enumerable.Range(0, n).Average(t => states[(t * hidden) + d])).ToArray();
        var norm = Math.Sqrt(pooled.Sum(v => v * v));
        var expected = probe["embedding_first8"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        for (var d = 0; d < expected.Length; d++)
            Assert.Equal(expected[d], pooled[d] / norm, 3);
    }

    private long[] Probe(string text) =>
        [1, .. Tokenizer().EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false).Select(id => (long)id)];

    private SentencePieceTokenizer Tokenizer()
    {
        using var stream = File.OpenRead(Path.Combine(_decoder, _decoderConfig["tokenizer"]!.GetValue<string>()));
        return LlamaTokenizer.Create(stream, addBeginOfSentence: false);
    }

    /// <summary>Runs the decoder on <paramref name="ids"/> after <paramref name="past"/> (per layer key, value arrays).</summary>
    private (float[] Logits, float[] Nll, float[][] Present) RunDecoder(long[] ids, float[][] past, int pastLength = 0)
    {
        var n = ids.Length;
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [1, n]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, pastLength + n).ToArray(), [1, pastLength + n]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Range(pastLength, n).Select(p => (long)p).ToArray(), [1, n]),
        };
        for (var i = 0; i < 2 * Layers; i++)
        {
            values.Add(pastLength == 0
                ? OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, Heads, 0, HeadDim])
                : OrtValue.CreateTensorValueFromMemory(past[i], [1, Heads, pastLength, HeadDim]));
        }

        try
        {
            var names = _decoderSession.OutputMetadata.Keys.ToArray();
            using var outputs = _decoderSession.Run(new RunOptions(), _decoderSession.InputMetadata.Keys.ToArray(), values, names);
            var present = outputs.Skip(2).Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
            return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray(), present);
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

}
