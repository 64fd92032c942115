namespace Rag.Tests.Shared;

/// <summary>
/// Waiting for something that happens in the background (a document becoming ready, a job retried), polled, with a
/// bound it fails against: the one polling loop the tests share. Never a fixed sleep.
/// </summary>
internal static class Eventually
{
    /// <summary>How long a wait may take before the test fails (CI machines are slow; a pass is usually far faster).</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming <paramref name="what"/> past <paramref name="within"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        ValueAsync(() => Task.FromResult(condition()), held => held, what, within);

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming <paramref name="what"/> past <paramref name="within"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        ValueAsync(condition, held => held, what, within);

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> says the value is final and returns it; past
    /// <paramref name="within"/> the test fails with <paramref name="what"/> and the last value read.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + (within ?? DefaultBound);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {within ?? DefaultBound} for {what}; last seen: {value}");
            await Task.Delay(Poll);
        }
    }
}
