using System.Net;
using System.Net.Http.Json;

namespace Rag.Api.Tests;

/// <summary>Runs in both deployments: embedded (<see cref="EmbeddedAuthTests"/>) and PostgreSQL with api and worker processes (<see cref="PostgresAuthTests"/>).</summary>
public abstract class AuthTests(ServiceFixture service)
{
    [Fact]
    public async Task Requests_without_a_valid_key_get_401_with_a_bearer_challenge()
    {
        using var anonymous = service.Server.Client();
        using var wrong = service.Server.Client("not-a-configured-key-000000");

        foreach (var client in new[] { anonymous, wrong })
        {
            var response = await client.PostAsJsonAsync("/v1/collections/team-a/search", new { query = "x" });
            await BadInputTests.ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            await BadInputTests.ExpectProblemAsync(await client.GetAsync("/v1/collections"), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_key_never_reads_or_writes_a_collection_outside_its_scope()
    {
        using var teamA = service.Server.Client(ServiceFixture.TeamAKey);
        using var teamB = service.Server.Client(ServiceFixture.TeamBKey);
        var secret = await teamA.IngestAsync("team-a", "plans.md", Documents.Utf8("# Plans\n\nThe secret rendezvous is at the old pier."));
        var statusUrl = secret["status_url"].Text();
        await teamB.IngestAsync("team-b", "notes.md", Documents.Utf8("# Notes\n\nTeam B meets at the old pier too."));

        await ExpectForbidden(await teamB.PostAsJsonAsync("/v1/collections/team-a/search", new { query = "rendezvous" }));
        await ExpectForbidden(await teamB.PostAsJsonAsync("/v1/collections/team-a/ask", new { question = "Where is the rendezvous?" }));
        await ExpectForbidden(await teamB.GetAsync(statusUrl));
        await ExpectForbidden(await teamB.GetAsync($"{statusUrl}/content"));
        await ExpectForbidden(await teamB.GetAsync("/v1/collections/team-a/documents"));
        await ExpectForbidden(await teamB.DeleteAsync(statusUrl));
        await ExpectForbidden(await teamB.UploadTextAsync("team-a", new { text = "Planted by team B." }));

        // Team B's own collection holds none of team A's text.
        var own = await teamB.PostJsonAsync("/v1/collections/team-b/search", new { query = "secret rendezvous pier", top_k = 50 });
        Assert.DoesNotContain(own["results"]!.AsArray(), r => r!["text"].Text().Contains("rendezvous", StringComparison.Ordinal));

        // Nothing changed in team A's collection.
        var documents = await (await teamA.GetAsync("/v1/collections/team-a/documents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(documents["documents"]!.AsArray());
        Assert.Equal("ready", (await (await teamA.GetAsync(statusUrl)).ExpectAsync(HttpStatusCode.OK))["state"].Text());

        var visibleToB = await (await teamB.GetAsync("/v1/collections")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["team-b"], visibleToB["collections"]!.AsArray().Select(c => c.Text()));
    }

    [Fact]
    public async Task A_wildcard_key_reaches_every_collection()
    {
        using var teamA = service.Server.Client(ServiceFixture.TeamAKey);
        using var admin = service.Admin();
        await teamA.IngestAsync("shared", "s.txt", Documents.Utf8("Shared notice about the regatta."));

        var result = await admin.PostJsonAsync("/v1/collections/shared/search", new { query = "regatta" });

        Assert.Single(result["results"]!.AsArray());
    }

    private static Task ExpectForbidden(HttpResponseMessage response) =>
        BadInputTests.ExpectProblemAsync(response, HttpStatusCode.Forbidden);
}

[Collection(ServiceCollection.Name)]
public sealed class EmbeddedAuthTests(ServiceFixture service) : AuthTests(service);

[Collection(PostgresServiceCollection.Name)]
[Trait("Tier", "Process")]
public sealed class PostgresAuthTests(PostgresServiceFixture service) : AuthTests(service);
