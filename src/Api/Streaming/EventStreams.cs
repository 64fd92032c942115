using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Rag.Api.Streaming;

/// <summary>
/// Server-sent events for the streaming endpoints (<c>/ask</c> and chat completions). The status goes out
/// before the answer exists, so a failure half-way is one last event in the endpoint's error shape, the
/// exception goes to the log, and the stream ends; a caller who leaves just stops the stream.
/// </summary>
internal static class EventStreams
{
    /// <summary>The events of <paramref name="source"/>, then — if it fails — <paramref name="failure"/>'s event.</summary>
    /// <param name="source">The events.</param>
    /// <param name="failure">The error event, in the endpoint's shape.</param>
    /// <param name="log">Writes the failure to the service log.</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async IAsyncEnumerable<SseItem<T>> EndingWithFailure<T>(IAsyncEnumerable<SseItem<T>> source, Func<SseItem<T>> failure, Action<Exception> log,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = source.GetAsyncEnumerator(cancellationToken);
        var failed = false;
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log(e);
                more = false;
                failed = true;
            }

            if (failed)
            {
                yield return failure();
                yield break;
            }

            if (!more)
                yield break;
            yield return enumerator.Current;
        }
    }
}
