using Rag.Compression.Extractive;
using Rag.Contracts;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;
using Rag.Text;

namespace Rag.Engine.Ingestion;

/// <summary>
/// Embed: the vectors of every document's chunks and their units, computed in slices of about
/// <see cref="SliceTokens"/> tokens across the group's documents (the encoder batches each slice by length, so a
/// group of small documents is one request). Between slices, documents deleted meanwhile leave the group, and a
/// group that reports progress moves it from <see cref="From"/> to <see cref="To"/>. Commits nothing: the vectors
/// wait for <see cref="IndexVectorsStep"/>.
/// </summary>
internal sealed class EmbedStep(IDocumentStore store, DocumentIndexes indexes, ITextEmbedder encoder, IngestionOptions options, RagMetrics metrics, IngestionLog log) : IIngestionStep
{
    /// <summary>Progress when embedding begins.</summary>
    public const double From = 0.3;

    /// <summary>Progress when embedding ends.</summary>
    public const double To = 0.95;

    /// <summary>About four seconds of the encoder on two cores: a slice's size, so progress moves and deletes are seen that often.</summary>
    private const int SliceTokens = 16_384;

    private readonly bool _unitVectors = options.UnitVectors;
    private readonly bool _chunkFromUnits = options.UnitVectors && options.ChunkVectors == ChunkVectorSource.Units;

    public string Name => "embed";

    public async Task RunAsync(IngestionGroup group, CancellationToken cancellationToken)
    {
        var todo = group.Documents.Where(d => d.Vectors is null).ToList();
        if (todo.Count == 0)
            return;
        using var step = RagTracing.Start("rag.ingest.embed", group.Documents.Count == 1 ? group.Documents[0].Span : null);
        step?.SetTag("rag.model", encoder.ModelId).SetTag("rag.documents", todo.Count).SetTag("rag.chunks", todo.Sum(d => d.Chunks!.Count));
        var work = todo.SelectMany(d => d.Chunks!.Select(c => (Document: d, Chunk: c))).ToList();
        var vectors = todo.ToDictionary(d => d, d => new List<(ChunkVector Vector, bool Truncated)>(d.Chunks!.Count));
        var done = 0;
        foreach (var slice in Slices(work))
        {
            var live = slice.Where(s => group.Documents.Contains(s.Document)).ToList();
            var computed = await VectorsAsync([.. live.Select(s => (s.Document.Record.Title, s.Chunk))], cancellationToken);
            for (var i = 0; i < live.Count; i++)
                vectors[live[i].Document].Add(computed[i]);
            done += slice.Count;
            if (done < work.Count)
                await BetweenSlicesAsync(group, todo, (double)done / work.Count, cancellationToken);
        }

        foreach (var document in todo.Where(group.Documents.Contains))
        {
            document.Vectors = vectors[document];
            var truncated = document.Vectors.Count(v => v.Truncated);
            metrics.ChunksEmbedded(document.Vectors.Count, truncated);
            if (truncated > 0)
                log.Truncated(group.Collection, document.Record.Id, truncated, document.Vectors.Count, encoder.MaxTokens);
        }
    }

    /// <summary>Documents deleted from another process stop here; a group that reports progress moves it.</summary>
    private async Task BetweenSlicesAsync(IngestionGroup group, IReadOnlyList<GroupDocument> todo, double share, CancellationToken cancellationToken)
    {
        var live = todo.Where(group.Documents.Contains).ToList();
        var present = (await store.GetManyAsync(group.Collection, [.. live.Select(d => d.Record.Id)], DocumentParts.None, cancellationToken))
            .Select(d => d.Document.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var document in live.Where(d => !present.Contains(d.Record.Id)))
            await indexes.GoneAsync(group, document);
        if (group.ReportsProgress && group.Documents.Count > 0)
        {
            var progress = Math.Round(From + ((To - From) * share), 3);
            await store.UpdateStatesAsync(group.Collection, [.. group.Documents.Select(d => new StateChange(d.Record.Id, DocumentState.Indexing, progress))], cancellationToken);
        }
    }

    private static IEnumerable<List<(GroupDocument Document, TextChunk Chunk)>> Slices(List<(GroupDocument Document, TextChunk Chunk)> work)
    {
        var slice = new List<(GroupDocument Document, TextChunk Chunk)>();
        var tokens = 0;
        foreach (var item in work)
        {
            slice.Add(item);
            tokens += item.Chunk.TokenCount;
            if (tokens >= SliceTokens)
            {
                yield return slice;
                (slice, tokens) = ([], 0);
            }
        }

        if (slice.Count > 0)
            yield return slice;
    }

    /// <summary>
    /// The chunks' vectors and their units', in the chunks' order, from one request to the encoder, which batches
    /// everything by length. Units (<see cref="UnitSplitter"/>) are what the compressors split a retrieved chunk into —
    /// sentences, list items, rows, terms, code — so what is stored here is exactly what /ask looks up.
    /// <see cref="ChunkVectorSource.Read"/>: the chunk is read whole after its context — the document's title and the
    /// chunk's heading path — in windows when it is longer than the encoder reads; its sentences are pooled from that
    /// pass (late chunking: prose reads best in its context), while every other unit is read alone, so a bullet's
    /// vector is about that bullet, not its neighbours. <see cref="ChunkVectorSource.Units"/>: every unit is read alone
    /// and the chunk's vector is their pool with its context's vector, so each token is read once.
    /// </summary>
    private async Task<IReadOnlyList<(ChunkVector Vector, bool Truncated)>> VectorsAsync(IReadOnlyList<(string? Title, TextChunk Chunk)> chunks, CancellationToken cancellationToken)
    {
        var units = chunks.Select(c => (IReadOnlyList<Unit>)(_unitVectors ? UnitSplitter.Split(c.Chunk.Text) : [])).ToList();
        var contexts = chunks.Select(c => Context(c.Title, c.Chunk.Section)).ToList();
        var read = chunks.Select((_, i) => !_chunkFromUnits || units[i].Count == 0).ToArray();
        // Read mode pools prose sentences (and headings) from the chunk's own pass; every other unit is read alone.
        var lateUnits = units.Select((list, i) => read[i] ? list.Select(u => u.Kind is UnitKind.Sentence or UnitKind.Heading).ToArray() : new bool[list.Count]).ToList();
        var readIndex = Enumerable.Range(0, chunks.Count).Where(i => read[i]).ToList();
        var whole = await encoder.EmbedWholeAsync(
            [.. readIndex.Select(i => chunks[i].Chunk.Text)],
            [.. readIndex.Select(i => contexts[i])],
            [.. readIndex.Select(i => (IReadOnlyList<(int, int)>)[.. units[i].Where((_, k) => lateUnits[i][k]).Select(u => (u.Start, u.End))])],
            cancellationToken);
        var wholeOf = readIndex.Select((i, k) => (i, k)).ToDictionary(x => x.i, x => whole[x.k]);

        // Each unit's vector: pooled from its chunk's pass, or (index into `alone`) read alone. Chunks pooled from units
        // add their context's vector, each distinct context read once.
        var alone = new List<string>();
        var sources = new List<(float[]? Pooled, int Alone)[]>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            var pooled = wholeOf.GetValueOrDefault(i)?.Spans;
            var late = 0;
            var source = new (float[]? Pooled, int Alone)[units[i].Count];
            for (var k = 0; k < units[i].Count; k++)
            {
                source[k] = (lateUnits[i][k] ? pooled?[late++] : null, -1);
                if (source[k].Pooled is null)
                {
                    source[k].Alone = alone.Count;
                    alone.Add(chunks[i].Chunk.Text.Substring(units[i][k].Start, units[i][k].Length));
                }
            }

            sources.Add(source);
        }

        var contextPass = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count; i++)
        {
            if (!read[i] && contexts[i] is { } context && contextPass.TryAdd(context, alone.Count))
                alone.Add(context);
        }

        var own = alone.Count == 0 ? [] : await encoder.EmbedAsync(alone, cancellationToken);
        var vectors = new List<(ChunkVector, bool)>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            var unitVectors = units[i].Select((u, k) => new UnitVector(u.Start, u.End, sources[i][k].Pooled ?? own[sources[i][k].Alone].Vector)).ToList();
            var chunkVector = wholeOf.GetValueOrDefault(i)
                ?? Embedding.Pool([.. sources[i].Select(s => own[s.Alone]), .. contexts[i] is { } c ? new[] { own[contextPass[c]] } : []]);
            vectors.Add((new ChunkVector(chunks[i].Chunk.Index, chunkVector.Vector, _unitVectors ? unitVectors : null), chunkVector.Truncated));
        }

        return vectors;
    }

    /// <summary>What a chunk is read after: the document's title and the chunk's heading path ("Title › Install › Linux"); null when neither is known.</summary>
    internal static string? Context(string? title, string? section)
    {
        var parts = new[] { title, section?.Replace(" > ", " › ", StringComparison.Ordinal) }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()).ToList();
        return parts.Count == 0 ? null : string.Join(" › ", parts);
    }
}
