using Npgsql;
using Rag.Retrieval.Stores;
using Rag.Storage.Postgres;
using Rag.Tests.Shared;

namespace Rag.Retrieval.Tests.Conformance;

/// <summary>A group's locks (many documents at once) against single locks and other groups: held together, never a deadlock.</summary>
public abstract class DocumentLocksContract
{
    /// <summary>Two lock services over the same documents, as two processes would have.</summary>
    protected abstract Task<(IDocumentLocks First, IDocumentLocks Second)> OpenAsync();

    /// <summary>
    /// Returns once a lock request made by <see cref="IDocumentLocks.AcquireAsync"/> is waiting (not merely not yet
    /// sent), so that "it has not been granted" means something; fails past a bound if it never waits.
    /// </summary>
    protected abstract Task UntilSomeoneWaitsAsync();

    private static readonly string[] Ids = [.. Enumerable.Range(0, 600).Select(i => $"doc_{i:x24}")];

    [Fact]
    public async Task A_group_holds_every_one_of_its_documents_until_released()
    {
        var (first, second) = await OpenAsync();
        Task<IAsyncDisposable> single;
        // 600 documents: more than the in-process stripes, so several share one and each is taken once.
        await using (await first.AcquireManyAsync("c", Ids, CancellationToken.None))
        {
            single = second.AcquireAsync("c", Ids[417], CancellationToken.None);
            await UntilSomeoneWaitsAsync();
            Assert.False(single.IsCompleted, "a document of a held group was locked by someone else");
        }

        await using var taken = await single.WaitAsync(Eventually.DefaultBound);
    }

    [Fact]
    public async Task Overlapping_groups_in_opposite_orders_never_wait_on_each_other_forever()
    {
        var (first, second) = await OpenAsync();
        string[] forward = Ids[..300];
        string[] backward = [.. Ids[150..450].Reverse()];

        async Task RunAsync(IDocumentLocks locks, string[] ids)
        {
            for (var i = 0; i < 10; i++)
            {
                await using var held = await locks.AcquireManyAsync("c", ids, CancellationToken.None);
                await Task.Yield();
            }
        }

        await Task.WhenAll(RunAsync(first, forward), RunAsync(second, backward), RunAsync(first, backward)).WaitAsync(TimeSpan.FromSeconds(60));
    }
}

public sealed class InProcessDocumentLocksTests : DocumentLocksContract
{
    protected override Task<(IDocumentLocks First, IDocumentLocks Second)> OpenAsync()
    {
        var locks = new DocumentLocks();
        return Task.FromResult<(IDocumentLocks, IDocumentLocks)>((locks, locks));
    }

    // A stripe taken by someone else makes AcquireAsync return a task that waits on it before returning at all.
    protected override Task UntilSomeoneWaitsAsync() => Task.CompletedTask;
}

public sealed class PostgresDocumentLocksTests : DocumentLocksContract
{
    protected override async Task<(IDocumentLocks First, IDocumentLocks Second)> OpenAsync()
    {
        _dataSource = await PostgresTestDatabase.CreateAsync();
        return (new PostgresDocumentLocks(_dataSource, new DocumentLocks()), new PostgresDocumentLocks(_dataSource, new DocumentLocks()));
    }

    private NpgsqlDataSource _dataSource = null!;

    // PostgreSQL shows an advisory lock asked for and not granted in pg_locks.
    protected override Task UntilSomeoneWaitsAsync() => Eventually.TrueAsync(
        async () =>
        {
            await using var command = _dataSource.CreateCommand("SELECT count(*) FROM pg_locks "
                + "WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
            return (long)(await command.ExecuteScalarAsync())! > 0;
        },
        "the second lock request to wait in PostgreSQL");
}
