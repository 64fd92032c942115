using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rag.Retrieval.Stores;

namespace Rag.Api.Health;

/// <summary>Healthy when the document store answers a query.</summary>
internal sealed class StoreHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CollectionExistsAsync("healthz", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The document store does not answer.", e);
        }
    }
}
