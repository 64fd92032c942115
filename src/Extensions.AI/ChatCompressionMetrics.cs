using System.Diagnostics.Metrics;

namespace Rag.Extensions.AI;

/// <summary>
/// The middleware's instruments on the <c>Rag.Extensions.AI</c> meter: tokens before and after, segments from the
/// cache, and the ratio per conversation. Made from the host's <see cref="IMeterFactory"/> where there is one (so
/// each host, and each test, sees only its own measurements); a meter of its own otherwise.
/// </summary>
public sealed class ChatCompressionMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Rag.Extensions.AI";

    private readonly Counter<long> _origin;
    private readonly Counter<long> _compressed;
    private readonly Counter<long> _cacheHits;
    private readonly Histogram<double> _ratio;

    /// <summary>Instruments on a meter from <paramref name="meterFactory"/>, or on a meter of their own when it is null.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public ChatCompressionMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _origin = meter.CreateCounter<long>("rag.chat.compression.origin_tokens", "{token}", "Tokens of the messages before compression");
        _compressed = meter.CreateCounter<long>("rag.chat.compression.compressed_tokens", "{token}", "Tokens of the messages after compression");
        _cacheHits = meter.CreateCounter<long>("rag.chat.compression.cache_hits", "{segment}", "Segments served from the compression cache");
        _ratio = meter.CreateHistogram<double>("rag.chat.compression.ratio", null, "Origin over compressed tokens of a conversation");
    }

    internal void Record(CompressionFigures figures)
    {
        _origin.Add(figures.OriginTokens);
        _compressed.Add(figures.CompressedTokens);
        _cacheHits.Add(figures.CacheHits);
        _ratio.Record(figures.Ratio);
    }
}
