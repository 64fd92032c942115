using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Rag.Api.Tests;

public sealed class LogEventTests
{
    [Fact]
    public void No_two_kinds_of_log_event_share_an_id()
    {
        var events = new[] { typeof(Rag.Engine.Diagnostics.LogEvents).Assembly, typeof(Program).Assembly, typeof(Rag.Retrieval.Chunking.TextChunk).Assembly, typeof(Rag.Compression.PromptCompressor).Assembly, typeof(Rag.Storage.Qdrant.QdrantConnection).Assembly, typeof(Rag.Storage.Embedded.SqliteDocumentStore).Assembly, typeof(Rag.Storage.Postgres.PostgresDocumentStore).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.True(events.Count > 20, $"found {events.Count} log events");
        var shared = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.True(shared.Count == 0, string.Join("\n", shared));
    }
}
