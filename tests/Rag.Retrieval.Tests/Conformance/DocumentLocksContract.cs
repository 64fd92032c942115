using Rag.Retrieval.Stores;
using Rag.Storage.Postgres;

namespace Rag.Retrieval.Tests.Conformance;

/// <summary>A group's locks (many documents at once) against single locks and other groups: held together, never a deadlock.</summary>
public abstract class DocumentLocksContract
{
    /// <summary>Two lock services over the same documents, as two processes would have.</summary>
    protected abstract Task<(IDocumentLocks First, IDocumentLocks Second)> OpenAsync();

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
            await Task.Delay(300);
            Assert.False(single.IsCompleted, "a document of a held group was locked by someone else");
        }

        await using var taken = await single.WaitAsync(TimeSpan.FromSeconds(30));
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
}

public sealed class PostgresDocumentLocksTests : DocumentLocksContract
{
    protected override async Task<(IDocumentLocks First, IDocumentLocks Second)> OpenAsync()
    {
        var dataSource = await PostgresTestDatabase.CreateAsync();
        return (new PostgresDocumentLocks(dataSource, new DocumentLocks()), new PostgresDocumentLocks(dataSource, new DocumentLocks()));
    }
}
