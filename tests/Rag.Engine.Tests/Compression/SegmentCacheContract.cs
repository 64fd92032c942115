using System.Text;
using Npgsql;
using Rag.Compression.Ports;
using Rag.Engine.Compression;
using Rag.Tests.Shared;
using Rag.Qdrant.StandIn;
using Rag.Storage.Embedded;
using Rag.Storage.Postgres;
using Rag.Storage.Qdrant;

namespace Rag.Engine.Tests.Compression;

/// <summary>What every <see cref="ISegmentCache"/> does; each implementation runs it against a fresh, real cache.</summary>
public abstract class SegmentCacheContract : IAsyncLifetime
{
    private readonly CancellationToken _ct = CancellationToken.None;

    /// <summary>A new, empty cache; a second call opens the same cache again, as another process would.</summary>
    protected abstract Task<ISegmentCache> OpenAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Values_come_back_in_the_order_asked_with_null_for_misses()
    {
        var cache = await OpenAsync();
        await cache.SetManyAsync([Entry("a", "alpha"), Entry("b", "beta ✓")], _ct);

        var values = await cache.GetManyAsync(["b", "missing", "a", "b"], _ct);

        Assert.Equal(["beta ✓", null, "alpha", "beta ✓"], values.Select(v => v is null ? null : Encoding.UTF8.GetString(v)));
        Assert.Empty(await cache.GetManyAsync([], _ct));
    }

    [Fact]
    public async Task Entries_are_shared_with_another_opening_and_a_repeated_write_is_harmless()
    {
        var cache = await OpenAsync();
        var binary = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        await cache.SetManyAsync([new("k", binary), new("k", binary)], _ct);
        await cache.SetManyAsync([new("k", binary)], _ct);

        var other = await OpenAsync();

        Assert.Equal(binary, (await other.GetManyAsync(["k"], _ct))[0]);
    }

    private static KeyValuePair<string, byte[]> Entry(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));
}

public sealed class SqliteSegmentCacheTests : SegmentCacheContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "rag-tests", Guid.NewGuid().ToString("N"), "cache.db");

    protected override Task<ISegmentCache> OpenAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        return Task.FromResult<ISegmentCache>(new SqliteSegmentCache(_path));
    }
}

public sealed class PostgresSegmentCacheTests : SegmentCacheContract
{
    private string _connectionString = null!;

    public override async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(_connectionString, CancellationToken.None);
    }

    protected override Task<ISegmentCache> OpenAsync() =>
        Task.FromResult<ISegmentCache>(new PostgresSegmentCache(NpgsqlDataSource.Create(_connectionString)));
}

/// <summary>The Qdrant cache through the official client against the gRPC stand-in.</summary>
public sealed class QdrantSegmentCacheTests : SegmentCacheContract
{
    private QdrantStandIn _qdrant = null!;
    private QdrantConnection? _connection;

    public override async Task InitializeAsync() => _qdrant = await QdrantStandIn.StartAsync();

    public override async Task DisposeAsync()
    {
        _connection?.Dispose();
        await _qdrant.DisposeAsync();
        Assert.Empty(_qdrant.Refusals);
        Assert.Equal(0, _qdrant.UnwaitedWrites);
    }

    protected override Task<ISegmentCache> OpenAsync()
    {
        _connection ??= new QdrantConnection(new QdrantOptions { Url = _qdrant.Address.ToString() });
        return Task.FromResult<ISegmentCache>(new QdrantSegmentCache(_connection, "t_"));
    }
}
