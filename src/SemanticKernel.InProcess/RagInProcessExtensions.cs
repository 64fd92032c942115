using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rag.Hosting;

namespace Rag.SemanticKernel;

/// <summary>Registers the plugin's in-process backend.</summary>
public static class RagInProcessExtensions
{
    /// <summary>The plugin's backend over Rag.Engine in this process (stores under <c>Rag:DataPath</c>, models from <c>Rag:Models</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration with the <c>Rag</c> section.</param>
    /// <param name="options">The plugin's settings.</param>
    public static IServiceCollection AddRagInProcessBackend(this IServiceCollection services, IConfiguration configuration, RagPluginOptions? options = null)
    {
        services.AddRagInProcess(configuration);
        services.AddSingleton<IRagBackend, InProcessRagBackend>();
        services.AddSingleton(options ?? new RagPluginOptions());
        return services;
    }
}
