using Microsoft.Extensions.AI;
using Rag.Contracts;

namespace Rag.Extensions.AI;

/// <summary><c>builder.UseContextCompression(...)</c>.</summary>
public static class ContextCompressionChatClientBuilderExtensions
{
    /// <summary>Compresses long messages with <paramref name="compressor"/> before the rest of the pipeline.</summary>
    public static ChatClientBuilder UseContextCompression(this ChatClientBuilder builder, IContextCompressor compressor, Action<ContextCompressionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(compressor);
        var options = new ContextCompressionOptions();
        configure?.Invoke(options);
        Validate(options);
        return builder.Use((inner, services) => new ContextCompressingChatClient(inner, new MessageCompressor(compressor, options, Metrics(services))));
    }

    /// <summary>Compresses long messages with the <see cref="IContextCompressor"/> registered in the builder's services.</summary>
    public static ChatClientBuilder UseContextCompression(this ChatClientBuilder builder, Action<ContextCompressionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ContextCompressionOptions();
        configure?.Invoke(options);
        Validate(options);
        return builder.Use((inner, services) => new ContextCompressingChatClient(inner, new MessageCompressor(
            (IContextCompressor?)services.GetService(typeof(IContextCompressor))
                ?? throw new InvalidOperationException("UseContextCompression needs an IContextCompressor in the services (InProcessContextCompressor or RemoteContextCompressor)."),
            options,
            Metrics(services))));
    }

    /// <summary>The metrics registered in the services, else instruments on the services' meter factory, else a meter of their own.</summary>
    private static ChatCompressionMetrics Metrics(IServiceProvider services) =>
        (ChatCompressionMetrics?)services.GetService(typeof(ChatCompressionMetrics))
            ?? new ChatCompressionMetrics((System.Diagnostics.Metrics.IMeterFactory?)services.GetService(typeof(System.Diagnostics.Metrics.IMeterFactory)));

    private static void Validate(ContextCompressionOptions options)
    {
        if (!CompressionRules.IsRate(options.Rate))
            throw new ArgumentOutOfRangeException(nameof(options), options.Rate, $"ContextCompressionOptions.Rate must be {CompressionRules.RateRule}.");
        if (options.MinTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MinTokens, "ContextCompressionOptions.MinTokens must be 0 or more.");
    }
}
