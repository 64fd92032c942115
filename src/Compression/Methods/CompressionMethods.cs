namespace Rag.Compression.Methods;

/// <summary>
/// The registry of compression methods: one line per method. Requests, the API reference, the
/// OpenAPI enum, error messages and the evaluation runner all read their names from here.
/// </summary>
public static class CompressionMethods
{
    private static readonly Func<MethodServices, ICompressionMethod>[] Registered =
    [
        s => new CoarseToFineMethod(s),
        s => new SegmentMethod(s),
        s => new LongCodeZipMethod(s),
        s => new GemFilterMethod(s),
        _ => new TruncateMethod(),
        _ => new RandomMethod(),
    ];

    private static readonly Lazy<IReadOnlyList<ICompressionMethod>> Descriptions =
        new(() => Create(new MethodServices(null, null, NoCache.Instance, new CompressorOptions())));

    /// <summary>Every registered method (made without models: read their names and summaries, do not run them).</summary>
    public static IReadOnlyList<ICompressionMethod> All => Descriptions.Value;

    /// <summary>Every name a request may give: <c>auto</c>, <c>none</c> and the registered methods.</summary>
    public static IReadOnlyList<string> Names => LazyNames.Value;

    private static readonly Lazy<IReadOnlyList<string>> LazyNames = new(() => ["auto", "none", .. All.Select(m => m.Description.Method.Name)]);

    /// <summary>The registered methods over <paramref name="services"/>.</summary>
    /// <param name="services">What the methods may use.</param>
    public static IReadOnlyList<ICompressionMethod> Create(MethodServices services) => [.. Registered.Select(r => r(services))];

    private sealed class NoCache : Ports.ISegmentCache
    {
        public static readonly NoCache Instance = new();

        public Task<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => Task.FromResult(new byte[]?[keys.Count]);

        public Task SetManyAsync(IReadOnlyList<KeyValuePair<string, byte[]>> entries, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
