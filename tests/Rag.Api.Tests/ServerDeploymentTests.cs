using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Rag.Engine.Configuration;
using Rag.Qdrant.StandIn;
using Rag.Storage.Postgres;
using Rag.Storage.Qdrant;
using Rag.Tests.Shared;

namespace Rag.Api.Tests;

/// <summary>Roles, the container health probe, and the compose files (kept valid: there is no Docker engine here).</summary>
[Trait("Tier", "Process")]
public sealed partial class ServerDeploymentTests
{
    [Fact]
    public async Task A_worker_needs_postgres_and_an_unknown_role_is_refused_by_name()
    {
        var embedded = await Assert.ThrowsAsync<InvalidOperationException>(() => RagServer.StartAsync(role: "worker"));
        Assert.Contains("--role worker needs Rag:Storage:Documents = Postgres", embedded.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => RagServer.StartAsync(role: "janitor"));
        Assert.Contains("--role must be api, worker or all; it is 'janitor'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RagServer.StartAsync(new Dictionary<string, string> { ["Rag:Storage:Documents"] = "Postgres" }));

        Assert.Contains("Rag:Storage:Postgres:ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_process_queues_work_that_only_a_worker_process_does()
    {
        // The whole server deployment: PostgreSQL, Qdrant (the gRPC stand-in, through the official client), an api and a worker.
        await using var qdrant = await QdrantStandIn.StartAsync();
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var settings = PostgresServiceFixture.PostgresSettings([], connectionString);
        settings["Rag:Storage:Vectors"] = "Qdrant";
        settings["Rag:Storage:SegmentCache"] = "Qdrant";
        settings["Rag:Storage:Qdrant:Url"] = qdrant.Address.ToString();
        await using var api = await RagServer.StartAsync(settings, role: "api");
        using var client = api.Client();

        var accepted = await (await client.UploadFileAsync("roles", "a.md", Documents.Utf8("# Tides\n\nThe tide turns at noon."))).ExpectAsync(HttpStatusCode.Accepted);
        var statusUrl = accepted["status_url"].Text();
        // The api process registered no job server (Hangfire lists every server in its schema): nothing
        // here can run the job, which waits in the queue for a worker.
        Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT count(*) FROM hangfire.server"));
        Assert.Equal(1L, await ScalarAsync(connectionString, "SELECT count(*) FROM hangfire.jobqueue"));
        Assert.Equal("queued", (await (await client.GetAsync(statusUrl)).ExpectAsync(HttpStatusCode.OK))["state"].Text());
        Assert.Contains("Role: api", api.Log, StringComparison.Ordinal);

        await using var worker = await RagServer.StartAsync(settings, role: "worker");
        Assert.Equal("ready", (await client.WaitUntilFinalAsync(statusUrl))["state"].Text());
        Assert.Contains("serves no HTTP", worker.Log, StringComparison.Ordinal);
        Assert.Contains($"vectors in Qdrant at gRPC {qdrant.Address.GetLeftPart(UriPartial.Authority)}", worker.Log, StringComparison.Ordinal);

        // What the worker wrote to Qdrant, the api process finds.
        Assert.True(qdrant.PointCount("rag_chunks_384") > 0);
        var dense = await client.PostJsonAsync("/v1/collections/roles/search", new { query = "When does the tide turn?", top_k = 1, mode = "dense" });
        Assert.Equal(accepted["id"].Text(), dense["results"]![0]!["document_id"].Text());
        Assert.Empty(qdrant.Refusals);
    }

    [Fact]
    public async Task Deleting_a_document_a_worker_process_is_ingesting_answers_at_once_and_the_worker_stops()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var settings = PostgresServiceFixture.PostgresSettings([], connectionString);
        settings["Rag:Models:Embedder:Path"] = Path.Combine(ModelServiceFixture.Models, "tiny-embedder");
        settings["Rag:Chunking:MaxTokens"] = "64";
        settings["Rag:Chunking:OverlapTokens"] = "0";
        await using var api = await RagServer.StartAsync(settings, role: "api");
        await using var worker = await RagServer.StartAsync(settings, role: "worker");
        using var client = api.Client();
        var text = string.Concat(Enumerable.Range(0, 4000).Select(i => $"## Entry {i}\n\nThe harbour ledger records crate {i} bound for pier {i % 7}.\n\n"));

        var accepted = await (await client.UploadFileAsync("deleting", "ledger.md", Documents.Utf8(text))).ExpectAsync(HttpStatusCode.Accepted);
        var statusUrl = accepted["status_url"].Text();
        await Eventually.ValueAsync(async () => await (await client.GetAsync(statusUrl)).ExpectAsync(HttpStatusCode.OK),
            status => status["state"].Text() == "indexing" && status["progress"]!.GetValue<double>() > 0.3, "the worker to be embedding the document");

        // The worker holds the document's lock in another process: the delete does not wait for it.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(statusUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(statusUrl)).StatusCode);
        await Eventually.TrueAsync(() => worker.Log.Contains("was deleted before ingestion finished", StringComparison.Ordinal), "the worker to stop ingesting the deleted document");
        Assert.DoesNotContain("Ingested deleting/", worker.Log, StringComparison.Ordinal);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_healthcheck_command_exits_0_for_a_healthy_service_and_1_for_none()
    {
        await using var server = await RagServer.StartAsync();

        Assert.Equal(0, await HealthcheckAsync(server.BaseAddress.ToString()));
        Assert.Equal(1, await HealthcheckAsync("http://127.0.0.1:9"));
    }

    [Fact]
    public void The_compose_files_configure_a_valid_server_deployment()
    {
        var folder = Path.Combine(TestFiles.RepositoryRoot(), "compose");
        var compose = File.ReadAllText(Path.Combine(folder, "docker-compose.yml"));

        // Every Rag__/Auth__ variable the services set, with ${VAR:-default} and ${VAR:?message} filled in.
        var settings = EnvironmentLine().Matches(compose)
            .ToDictionary(m => m.Groups["key"].Value.Replace("__", ":", StringComparison.Ordinal), m => (string?)Substitute(m.Groups["value"].Value.Trim().Trim('"')));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(RagOptions.Section).Get<RagOptions>()!;

        Assert.Equal(DocumentStorage.Postgres, options.Storage.Documents);
        Assert.Equal(VectorStorage.Qdrant, options.Storage.Vectors);
        Assert.Equal(SegmentCacheStorage.Qdrant, options.Storage.SegmentCache);
        var postgres = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>()!;
        Assert.Contains("Password=secret", postgres.ConnectionString, StringComparison.Ordinal);
        var qdrant = configuration.GetSection(QdrantOptions.Section).Get<QdrantOptions>()!;
        Assert.Equal(QdrantOptions.GrpcPort, qdrant.Endpoint().Port);
        foreach (var (value, validatorName) in new object[] { options, postgres, qdrant }.Zip(
            ["Rag.Engine.Configuration.RagOptionsValidator", "Rag.Storage.Postgres.PostgresOptionsValidator", "Rag.Storage.Qdrant.QdrantOptionsValidator"]))
        {
            var validator = value.GetType().Assembly.GetType(validatorName)!;
            var result = (ValidateOptionsResult)validator.GetMethod("Validate")!.Invoke(Activator.CreateInstance(validator), [null, value])!;
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        Assert.Contains("[\"--role\", \"api\"]", compose, StringComparison.Ordinal);
        Assert.Contains("[\"--role\", \"worker\"]", compose, StringComparison.Ordinal);

        // The Dockerfile copies only what exists and runs the service's assembly.
        var dockerfile = File.ReadAllText(Path.Combine(folder, "Dockerfile"));
        foreach (Match copy in CopyLine().Matches(dockerfile))
        {
            foreach (var source in copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(Path.Exists(Path.Combine(TestFiles.RepositoryRoot(), source)), $"Dockerfile copies {source}, which is not in the repository");
        }

        Assert.Contains("Rag.Api.dll", dockerfile, StringComparison.Ordinal);
    }

    private static string Substitute(string value) => Variable().Replace(value, m => m.Groups["default"].Success ? m.Groups["default"].Value : "secret");

    private static async Task<int> HealthcheckAsync(string url)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rag.Api.dll"));
        start.ArgumentList.Add("healthcheck");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [GeneratedRegex(@"^\s+(?<key>(Rag|Auth)__[A-Za-z0-9_]+):\s*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex EnvironmentLine();

    [GeneratedRegex(@"\$\{[A-Z_]+(:-(?<default>[^}]*)|:\?[^}]*)?\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^COPY (?!--from)(?<sources>.+) \S+$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();
}
