using System.Diagnostics;

namespace Rag.Contracts;

/// <summary>
/// The pipeline's spans, on the <c>Rag</c> activity source: <c>rag.ask</c>, <c>rag.retrieve</c>, <c>rag.select</c>,
/// <c>rag.compress</c>, <c>rag.prefill</c>, <c>rag.decode</c> and <c>rag.ingest</c> with its steps, each with its figures
/// as <c>rag.*</c> attributes (tokens, chunks, method, ratio — never the text of a question or a document).
/// </summary>
public static class RagTracing
{
    /// <summary>The activity source's name, to subscribe to (OpenTelemetry's <c>AddSource</c>).</summary>
    public const string SourceName = "Rag";

    /// <summary>The source every span starts from.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(RagTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>Starts <paramref name="name"/> under the current span, or under <paramref name="parent"/> when given (spans made across an iterator's yields lose the current span).</summary>
    /// <param name="name">The span's name.</param>
    /// <param name="parent">The parent span, when the current one may have been lost.</param>
    public static Activity? Start(string name, Activity? parent = null) =>
        Source.StartActivity(name, ActivityKind.Internal, parent?.Context ?? default);

    /// <summary>Records a span that already happened, from <paramref name="start"/> for <paramref name="duration"/>, with its figures.</summary>
    /// <param name="name">The span's name.</param>
    /// <param name="parent">The parent span, if any.</param>
    /// <param name="start">When it began.</param>
    /// <param name="duration">How long it took.</param>
    /// <param name="tags">Its figures.</param>
    public static void Record(string name, Activity? parent, DateTimeOffset start, TimeSpan duration, params ReadOnlySpan<(string Key, object? Value)> tags)
    {
        using var activity = Source.StartActivity(name, ActivityKind.Internal, parent?.Context ?? default, startTime: start);
        if (activity is null)
            return;
        foreach (var (key, value) in tags)
            activity.SetTag(key, value);
        activity.SetEndTime((start + duration).UtcDateTime);
    }
}
