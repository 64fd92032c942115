using Microsoft.Extensions.DependencyInjection;
using Rag.Client;

namespace Rag.Agents;

/// <summary>Registers Rag over a running service for Agent Framework agents.</summary>
public static class RagAgents
{
    /// <summary>A <see cref="RagClient"/> for the service at <paramref name="baseAddress"/> and its <see cref="IRagRetriever"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="baseAddress">The service, e.g. <c>http://rag:8080/</c>.</param>
    /// <param name="apiKey">The service's API key, when it has keys.</param>
    public static IServiceCollection AddRagAgents(this IServiceCollection services, Uri baseAddress, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        services.AddSingleton<IRagRetriever>(_ =>
            new HttpRagRetriever(new RagClient(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) }, apiKey), baseAddress));
        return services;
    }
}
