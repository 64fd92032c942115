namespace Rag.Api.Tests;

/// <summary>
/// One running service shared by the end-to-end tests, with three API keys; each test uses its own collections. The
/// embedded deployment is hosted in the test process (the in-process tier); the server deployment below is processes.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string TeamAKey = "team-a-key-0123456789abcdef";
    public const string TeamBKey = "team-b-key-0123456789abcdef";
    public const long MaxUploadBytes = 256 * 1024;

    public IServiceUnderTest Server { get; protected set; } = null!;

    public virtual async Task InitializeAsync() => Server = await InProcessService.StartAsync(Settings());

    /// <summary>The service's configuration: API keys, limits and small chunks.</summary>
    protected static Dictionary<string, string> Settings() => new()
    {
            ["Auth:ApiKeys:0:Name"] = "admin",
            ["Auth:ApiKeys:0:Key"] = AdminKey,
            ["Auth:ApiKeys:0:Collections:0"] = "*",
            ["Auth:ApiKeys:0:Admin"] = "true",
            ["Auth:ApiKeys:1:Name"] = "team-a",
            ["Auth:ApiKeys:1:Key"] = TeamAKey,
            ["Auth:ApiKeys:1:Collections:0"] = "team-a",
            ["Auth:ApiKeys:1:Collections:1"] = "shared",
            // Team A's collections for the MCP and console tests, apart from the collections other tests count.
            ["Auth:ApiKeys:1:Collections:2"] = "team-a-mcp",
            ["Auth:ApiKeys:1:Collections:3"] = "team-a-console",
            ["Auth:ApiKeys:2:Name"] = "team-b",
            ["Auth:ApiKeys:2:Key"] = TeamBKey,
            ["Auth:ApiKeys:2:Collections:0"] = "team-b",
            ["Rag:Ingestion:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rag:Chunking:MaxTokens"] = "128",
            ["Rag:Chunking:OverlapTokens"] = "16",
    };

    public HttpClient Admin() => Server.Client(AdminKey);

    /// <summary>What the deployment logged so far: every process's lines.</summary>
    public virtual string Log => Server.Log;

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The server deployment on loopback: a <c>--role api</c> process and a <c>--role worker</c> process
/// sharing a fresh PostgreSQL database (documents, full-text index, jobs), vectors embedded.
/// </summary>
public sealed class PostgresServiceFixture : ServiceFixture
{
    public RagServer Worker { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public override string Log => Server.Log + "\n" + Worker.Log;

    public override async Task InitializeAsync()
    {
        ConnectionString = await Rag.Tests.Shared.TestPostgres.CreateDatabaseAsync();
        var settings = PostgresSettings(Settings(), ConnectionString);
        // Both start at once: the schema migration is safe under concurrency.
        var api = RagServer.StartAsync(settings, role: "api");
        var worker = RagServer.StartAsync(settings, role: "worker");
        Server = await api;
        Worker = await worker;
    }

    /// <summary><paramref name="settings"/> with documents and jobs in PostgreSQL.</summary>
    public static Dictionary<string, string> PostgresSettings(Dictionary<string, string> settings, string connectionString)
    {
        settings["Rag:Storage:Documents"] = "Postgres";
        settings["Rag:Storage:SegmentCache"] = "Postgres";
        settings["Rag:Storage:Postgres:ConnectionString"] = connectionString;
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Worker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

[CollectionDefinition(Name)]
public sealed class PostgresServiceCollection : ICollectionFixture<PostgresServiceFixture>
{
    public const string Name = "service on PostgreSQL";
}
