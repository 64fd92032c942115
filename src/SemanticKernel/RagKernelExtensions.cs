using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Rag.Client;

namespace Rag.SemanticKernel;

/// <summary>Registration in the usual Semantic Kernel and dependency-injection styles.</summary>
public static class RagKernelExtensions
{
    /// <summary>The plugin's name in the kernel: functions are <c>rag-ask</c>, <c>rag-search</c>, … to a model.</summary>
    public const string PluginName = "rag";

    /// <summary>Adds the plugin over <paramref name="backend"/>.</summary>
    public static KernelPlugin AddRag(this ICollection<KernelPlugin> plugins, IRagBackend backend, RagPluginOptions? options = null, string pluginName = PluginName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        var plugin = KernelPluginFactory.CreateFromObject(new RagPlugin(backend, options), pluginName);
        plugins.Add(plugin);
        return plugin;
    }

    /// <summary>Adds the plugin with its backend (and options, if registered) from the kernel's services.</summary>
    public static IKernelBuilderPlugins AddRag(this IKernelBuilderPlugins plugins, string pluginName = PluginName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        return plugins.AddFromType<RagPlugin>(pluginName);
    }

    /// <summary>The plugin's backend over a running Rag service at <paramref name="baseAddress"/>.</summary>
    public static IServiceCollection AddRagHttpBackend(this IServiceCollection services, Uri baseAddress, string? apiKey = null, RagPluginOptions? options = null)
    {
        services.AddSingleton(new RagClient(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) }, apiKey));
        services.AddSingleton<IRagBackend, HttpRagBackend>();
        services.AddSingleton(options ?? new RagPluginOptions());
        return services;
    }

    /// <summary>
    /// <see cref="RagTextSearch"/> over the registered backend as SK's <c>ITextSearch</c>, for the text-search plugin
    /// (<c>CreateWithSearch</c>, <c>CreateWithGetTextSearchResults</c>) and <c>TextSearchProvider</c>.
    /// </summary>
    public static IServiceCollection AddRagTextSearch(this IServiceCollection services, RagTextSearchOptions? options = null)
    {
#pragma warning disable CS0618 // ITextSearch: what SK's plugin factories take (RagTextSearch's remarks)
        services.AddSingleton<Microsoft.SemanticKernel.Data.ITextSearch>(sp => new RagTextSearch(sp.GetRequiredService<IRagBackend>(), options));
#pragma warning restore CS0618
        return services;
    }
}
