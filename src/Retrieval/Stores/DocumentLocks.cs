namespace Rag.Retrieval.Stores;

/// <summary>
/// Serialises work on one document within the process (an ingestion job and a delete, or two
/// runs of the same job after a resume). Striped: unrelated documents rarely share a lock, and
/// no lock is ever taken while holding another.
/// </summary>
public sealed class DocumentLocks : IDocumentLocks, IDisposable
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Waits for the document's lock; dispose the result to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[Stripe(collection, documentId)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    /// <summary>Waits for the documents' stripes, each once, in stripe order (no cycle with another caller); dispose to release them.</summary>
    public async Task<IAsyncDisposable> AcquireManyAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var held = new List<Releaser>();
        try
        {
            foreach (var index in documentIds.Select(id => Stripe(collection, id)).Distinct().Order())
            {
                await _stripes[index].WaitAsync(cancellationToken);
                held.Add(new Releaser(_stripes[index]));
            }

            return new All(held);
        }
        catch
        {
            await new All(held).DisposeAsync();
            throw;
        }
    }

    private int Stripe(string collection, string documentId) => (int)((uint)HashCode.Combine(collection, documentId) % (uint)_stripes.Length);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var stripe in _stripes)
            stripe.Dispose();
    }

    private sealed class All(List<Releaser> held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            for (var i = held.Count - 1; i >= 0; i--)
                await held[i].DisposeAsync();
        }
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                stripe.Release();
            return ValueTask.CompletedTask;
        }
    }
}
