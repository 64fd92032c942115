using System.Net;

namespace Rag.Api.Tests;

/// <summary>Hangfire's dashboard at /jobs, on both storages: admin keys see it, other keys and no key do not.</summary>
public abstract class JobsDashboardTests(ServiceFixture service)
{
    [Fact]
    public async Task The_jobs_dashboard_answers_an_admin_key_and_refuses_the_rest()
    {
        using var admin = service.Admin();
        var page = await admin.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Rag jobs", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await AdminOnly.AssertRefusedAsync(service, "/jobs", "Rag jobs");
    }
}

[Collection(ServiceCollection.Name)]
public sealed class EmbeddedJobsDashboardTests(ServiceFixture service) : JobsDashboardTests(service);

[Collection(PostgresServiceCollection.Name)]
[Trait("Tier", "Process")]
public sealed class PostgresJobsDashboardTests(PostgresServiceFixture service) : JobsDashboardTests(service);
