using System.Diagnostics;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Rag.Bench;

/// <summary>
/// What ONNX Runtime's fp32 matrix multiply reaches on this machine (GFLOP/s): a one-node ONNX graph
/// (MatMul of two n x n inputs), written here as protobuf bytes, run with the service's session options.
/// An encoder layer is matrix multiplies (projections and the feed-forward block) plus attention, so
/// this times FLOPs per token is the fp32 limit an encoder can approach.
/// </summary>
internal static class MatMulProbe
{
    public static double GigaflopsPerSecond(int n = 1024, int threads = 0)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        using var session = new InferenceSession(Model(n), options);
        var random = new Random(1);
        var a = new DenseTensor<float>(Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray(), [n, n]);
        var b = new DenseTensor<float>(Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray(), [n, n]);
        NamedOnnxValue[] inputs = [NamedOnnxValue.CreateFromTensor("a", a), NamedOnnxValue.CreateFromTensor("b", b)];
        using (session.Run(inputs))
        {
            // warm-up
        }

        var best = double.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            using (session.Run(inputs))
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>ModelProto { ir_version 8, opset 13, graph { MatMul(a, b) -> c } } with float [n, n] inputs.</summary>
    private static byte[] Model(int n)
    {
        var dimension = Message(Varint(1, n));
        var shape = Message(Field(1, dimension), Field(1, dimension));
        var floatTensor = Message(Varint(1, 1), Field(2, shape)); // elem_type FLOAT, shape [n, n]
        var type = Message(Field(1, floatTensor));
        byte[] Tensor(string name) => Message(Text(1, name), Field(2, type));
        var node = Message(Text(1, "a"), Text(1, "b"), Text(2, "c"), Text(4, "MatMul"));
        var graph = Message(Field(1, node), Text(2, "probe"), Field(11, Tensor("a")), Field(11, Tensor("b")), Field(12, Tensor("c")));
        return Message(Varint(1, 8), Field(8, Message(Text(1, ""), Varint(2, 13))), Field(7, graph));
    }

    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static byte[] Varint(int field, long value) => [.. Key(field, 0), .. Leb(value)];

    private static byte[] Text(int field, string value) => Field(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int field, byte[] bytes) => [.. Key(field, 2), .. Leb(bytes.Length), .. bytes];

    private static byte[] Key(int field, int wireType) => Leb((field << 3) | wireType);

    private static byte[] Leb(long value)
    {
        var bytes = new List<byte>();
        do
        {
            var low = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(low | 0x80) : low);
        }
        while (value != 0);
        return [.. bytes];
    }
}
