using System.Net;

namespace Rag.Api.Tests;

/// <summary>What every admin-only path answers to others: 401 without a key, 403 with a scoped key, and nothing of its content.</summary>
internal static class AdminOnly
{
    public static async Task AssertRefusedAsync(ServiceFixture service, string path, string contentMarker)
    {
        using var anonymous = service.Server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);

        using var team = service.Server.Client(ServiceFixture.TeamAKey);
        var refused = await team.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(contentMarker, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
