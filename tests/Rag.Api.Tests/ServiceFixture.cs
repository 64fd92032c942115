namespace Rag.Api.Tests;

/// <summary>One running service shared by the end-to-end tests, with three API keys; each test uses its own collections.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string TeamAKey = "team-a-key-0123456789abcdef";
    public const string TeamBKey = "team-b-key-0123456789abcdef";
    public const long MaxUploadBytes = 256 * 1024;

    public RagServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RagServer.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "admin",
            ["Auth:ApiKeys:0:Key"] = AdminKey,
            ["Auth:ApiKeys:0:Collections:0"] = "*",
            ["Auth:ApiKeys:1:Name"] = "team-a",
            ["Auth:ApiKeys:1:Key"] = TeamAKey,
            ["Auth:ApiKeys:1:Collections:0"] = "team-a",
            ["Auth:ApiKeys:1:Collections:1"] = "shared",
            ["Auth:ApiKeys:2:Name"] = "team-b",
            ["Auth:ApiKeys:2:Key"] = TeamBKey,
            ["Auth:ApiKeys:2:Collections:0"] = "team-b",
            ["Rag:Ingestion:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rag:Chunking:MaxTokens"] = "128",
            ["Rag:Chunking:OverlapTokens"] = "16",
        });
    }

    public HttpClient Admin() => Server.Client(AdminKey);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
