using Rag.Retrieval.Chunking;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Numerics.Tensors;
using System.Text;
using Rag.Retrieval.Vectors;

namespace Rag.Storage.Embedded;

/// <summary>
/// An in-process vector index with exact search: every chunk vector of a collection is compared
/// with the query (SIMD dot products; the vectors are unit length, so the dot product is the
/// cosine). Exact search over 100k vectors of a few hundred dimensions takes milliseconds, which
/// is what the embedded deployment serves; the server deployment uses Qdrant.
/// </summary>
/// <remarks>
/// Each document's vectors live in one file under the folder (<c>{collection}/{document}.vec</c>),
/// written to a temporary file and renamed over the old one, so a crash leaves either the old
/// vectors or the new ones, never a mix. Everything is loaded at start.
/// </remarks>
public sealed class EmbeddedVectorIndex : IVectorIndex
{
    private const int Magic = 0x56474152; // "RAGV"
    private const int Version = 2; // 2 adds unit vectors; a version-1 file reads as a document without them
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, CollectionVectors> _collections = new(StringComparer.Ordinal);

    private EmbeddedVectorIndex(string folder) => _folder = folder;

    /// <summary>Opens (creating if needed) the index in <paramref name="folder"/> and loads it.</summary>
    public static EmbeddedVectorIndex Open(string folder)
    {
        Directory.CreateDirectory(folder);
        var index = new EmbeddedVectorIndex(folder);
        foreach (var collectionFolder in Directory.EnumerateDirectories(folder))
        {
            var collection = new CollectionVectors();
            foreach (var file in Directory.EnumerateFiles(collectionFolder, "*.vec"))
            {
                var document = Read(file);
                collection.Documents = collection.Documents.SetItem(document.DocumentId, document);
            }

            foreach (var temporary in Directory.EnumerateFiles(collectionFolder, "*.tmp"))
                File.Delete(temporary);
            index._collections[Path.GetFileName(collectionFolder)] = collection;
        }

        return index;
    }

    /// <summary>Vectors held, over every collection.</summary>
    public long Count => _collections.Values.Sum(c => c.Documents.Values.Sum(d => (long)d.ChunkIndexes.Length));

    /// <inheritdoc/>
    public async Task UpsertAsync(string collection, string documentId, IReadOnlyList<string> tags, string modelId,
        IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        var dimensions = vectors.Count == 0 ? 0 : vectors[0].Vector.Length;
        var data = new float[vectors.Count * dimensions];
        var indexes = new int[vectors.Count];
        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Vector.Length != dimensions)
                throw new ArgumentException($"Vector {i} has {vectors[i].Vector.Length} dimensions; the first has {dimensions}.", nameof(vectors));
            indexes[i] = vectors[i].ChunkIndex;
            vectors[i].Vector.CopyTo(data, i * dimensions);
        }

        var units = UnitsOf(vectors, dimensions);
        var document = new DocumentVectors(documentId, modelId, [.. tags], dimensions, indexes, data, units);
        var folder = Path.Combine(_folder, collection);
        Directory.CreateDirectory(folder);
        var path = FileOf(collection, documentId);
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(Serialize(document), cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        var vectorsOfCollection = _collections.GetOrAdd(collection, _ => new CollectionVectors());
        lock (vectorsOfCollection)
            vectorsOfCollection.Documents = vectorsOfCollection.Documents.SetItem(documentId, document);
    }

    /// <summary>Each document's file written and flushed to disk as <see cref="UpsertAsync"/> does, several at once: the fsyncs overlap.</summary>
    public Task UpsertManyAsync(string collection, string modelId, IReadOnlyList<(string DocumentId, IReadOnlyList<string> Tags, IReadOnlyList<ChunkVector> Vectors)> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (document, token) => await UpsertAsync(collection, document.DocumentId, document.Tags, modelId, document.Vectors, token));
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        var path = FileOf(collection, documentId);
        if (File.Exists(path))
            File.Delete(path);
        if (_collections.TryGetValue(collection, out var vectors))
        {
            lock (vectors)
                vectors.Documents = vectors.Documents.Remove(documentId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<bool> ContainsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken) =>
        Task.FromResult(Contains(collection, documentId, modelId));

    /// <inheritdoc/>
    public Task<bool> HasUnitsAsync(string collection, string documentId, string modelId, CancellationToken cancellationToken) =>
        Task.FromResult(Find(collection, documentId) is { Units: not null } document && document.ModelId == modelId);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<ChunkRef, IReadOnlyList<UnitVector>>> GetUnitsAsync(
        string collection, string modelId, IReadOnlyList<ChunkRef> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var found = new Dictionary<ChunkRef, IReadOnlyList<UnitVector>>();
        foreach (var chunk in chunks.Distinct())
        {
            if (Find(collection, chunk.DocumentId) is not { Units: { } units } document || document.ModelId != modelId)
                continue;
            var row = Array.IndexOf(document.ChunkIndexes, chunk.Index);
            if (row < 0)
                continue;
            var list = new List<UnitVector>(units.Rows[row + 1] - units.Rows[row]);
            for (var u = units.Rows[row]; u < units.Rows[row + 1]; u++)
                list.Add(new UnitVector(units.Spans[2 * u], units.Spans[2 * u] + units.Spans[(2 * u) + 1], units.Vectors.AsSpan(u * document.Dimensions, document.Dimensions).ToArray()));
            found[chunk] = list;
        }

        return Task.FromResult<IReadOnlyDictionary<ChunkRef, IReadOnlyList<UnitVector>>>(found);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VectorHit>> SearchUnitsAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<VectorHit>>(Top(collection, query.Span, modelId, topK, tags, units: true));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, ReadOnlyMemory<float> query, string modelId, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Search(collection, query.Span, modelId, topK, tags));
    }

    /// <summary>Whether the document has vectors from <paramref name="modelId"/> (in-process, so synchronous).</summary>
    public bool Contains(string collection, string documentId, string modelId) =>
        _collections.TryGetValue(collection, out var vectors)
        && vectors.Documents.TryGetValue(documentId, out var document)
        && document.ModelId == modelId;

    /// <summary>The synchronous form of <see cref="SearchAsync"/>.</summary>
    public IReadOnlyList<VectorHit> Search(string collection, ReadOnlySpan<float> query, string modelId, int topK, IReadOnlyList<string>? tags) =>
        Top(collection, query, modelId, topK, tags, units: false);

    /// <summary>Exact top-k over the collection's chunks, each scored by its own vector or by its best unit's.</summary>
    private List<VectorHit> Top(string collection, ReadOnlySpan<float> query, string modelId, int topK, IReadOnlyList<string>? tags, bool units)
    {
        if (topK <= 0 || !_collections.TryGetValue(collection, out var vectors))
            return [];

        // A min-heap of the best topK so far: the root is the one to beat.
        var best = new PriorityQueue<(DocumentVectors Document, int Row), float>(topK + 1);
        foreach (var document in vectors.Documents.Values)
        {
            if (document.ModelId != modelId || document.Dimensions != query.Length || !HasAll(document.Tags, tags) || (units && document.Units is null))
                continue;
            var data = units ? document.Units!.Vectors.AsSpan() : document.Vectors.AsSpan();
            for (var row = 0; row < document.ChunkIndexes.Length; row++)
            {
                var score = units ? BestUnit(query, document, data, row) : TensorPrimitives.Dot(query, data.Slice(row * document.Dimensions, document.Dimensions));
                if (float.IsNegativeInfinity(score))
                    continue;
                if (best.Count < topK)
                    best.Enqueue((document, row), score);
                else if (best.TryPeek(out _, out var worst) && score > worst)
                    best.EnqueueDequeue((document, row), score);
            }
        }

        var hits = new VectorHit[best.Count];
        for (var i = hits.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var entry, out var score);
            hits[i] = new VectorHit(entry.Document.DocumentId, entry.Document.ChunkIndexes[entry.Row], score);
        }

        return [.. hits];
    }

    /// <summary>The highest similarity among the row's units (−∞ when it has none).</summary>
    private static float BestUnit(ReadOnlySpan<float> query, DocumentVectors document, ReadOnlySpan<float> data, int row)
    {
        var best = float.NegativeInfinity;
        var rows = document.Units!.Rows;
        for (var u = rows[row]; u < rows[row + 1]; u++)
            best = Math.Max(best, TensorPrimitives.Dot(query, data.Slice(u * document.Dimensions, document.Dimensions)));
        return best;
    }

    private DocumentVectors? Find(string collection, string documentId) =>
        _collections.TryGetValue(collection, out var vectors) && vectors.Documents.TryGetValue(documentId, out var document) ? document : null;

    /// <summary>The units of every chunk, packed (null when no chunk carries units: written without them).</summary>
    private static PackedUnits? UnitsOf(IReadOnlyList<ChunkVector> vectors, int dimensions)
    {
        if (vectors.Count == 0 || vectors.All(v => v.Units is null))
            return null;
        var rows = new int[vectors.Count + 1];
        for (var i = 0; i < vectors.Count; i++)
            rows[i + 1] = rows[i] + (vectors[i].Units?.Count ?? 0);
        var spans = new int[2 * rows[^1]];
        var data = new float[rows[^1] * dimensions];
        var u = 0;
        foreach (var unit in vectors.SelectMany(v => v.Units ?? []))
        {
            if (unit.Vector.Length != dimensions)
                throw new ArgumentException($"A unit vector has {unit.Vector.Length} dimensions; the chunks have {dimensions}.", nameof(vectors));
            spans[2 * u] = unit.Start;
            spans[(2 * u) + 1] = unit.Length;
            unit.Vector.CopyTo(data, u * dimensions);
            u++;
        }

        return new PackedUnits(rows, spans, data);
    }

    private static bool HasAll(ImmutableHashSet<string> documentTags, IReadOnlyList<string>? tags)
    {
        if (tags is null)
            return true;
        foreach (var tag in tags)
        {
            if (!documentTags.Contains(tag))
                return false;
        }

        return true;
    }

    private string FileOf(string collection, string documentId) => Path.Combine(_folder, collection, documentId + ".vec");

    private static byte[] Serialize(DocumentVectors document)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(document.DocumentId);
            writer.Write(document.ModelId);
            writer.Write(document.Tags.Count);
            foreach (var tag in document.Tags.Order(StringComparer.Ordinal))
                writer.Write(tag);
            writer.Write(document.Dimensions);
            writer.Write(document.ChunkIndexes.Length);
            foreach (var index in document.ChunkIndexes)
                writer.Write(index);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(document.Vectors.AsSpan()));
            writer.Write(document.Units is not null);
            if (document.Units is { } units)
            {
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(units.Rows.AsSpan()));
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(units.Spans.AsSpan()));
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(units.Vectors.AsSpan()));
            }
        }

        return memory.ToArray();
    }

    private static DocumentVectors Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        var version = reader.ReadInt32() == Magic ? reader.ReadInt32() : -1;
        if (version is not (1 or Version))
            throw new InvalidDataException($"{path} is not a vector file of a version this build reads.");
        var documentId = reader.ReadString();
        var modelId = reader.ReadString();
        var tags = new string[reader.ReadInt32()];
        for (var i = 0; i < tags.Length; i++)
            tags[i] = reader.ReadString();
        var dimensions = reader.ReadInt32();
        var indexes = new int[reader.ReadInt32()];
        for (var i = 0; i < indexes.Length; i++)
            indexes[i] = reader.ReadInt32();
        var vectors = new float[indexes.Length * dimensions];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors.AsSpan()));
        PackedUnits? units = null;
        if (version >= 2 && reader.ReadBoolean())
        {
            var rows = new int[indexes.Length + 1];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.AsSpan()));
            var spans = new int[2 * rows[^1]];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(spans.AsSpan()));
            var data = new float[rows[^1] * dimensions];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            units = new PackedUnits(rows, spans, data);
        }

        return new DocumentVectors(documentId, modelId, [.. tags], dimensions, indexes, vectors, units);
    }

    private sealed class CollectionVectors
    {
        /// <summary>Replaced whole under the lock; searches read a snapshot without locking.</summary>
        public ImmutableDictionary<string, DocumentVectors> Documents { get; set; } = ImmutableDictionary<string, DocumentVectors>.Empty;
    }

    private sealed record DocumentVectors(
        string DocumentId, string ModelId, ImmutableHashSet<string> Tags, int Dimensions, int[] ChunkIndexes, float[] Vectors, PackedUnits? Units);

    /// <summary>
    /// Unit vectors of a document: row r's units are <c>Rows[r]</c> up to <c>Rows[r + 1]</c>; unit u spans
    /// <c>Spans[2u]</c> (start in the chunk) and <c>Spans[2u + 1]</c> (length); its vector is the u-th of <c>Vectors</c>.
    /// </summary>
    private sealed record PackedUnits(int[] Rows, int[] Spans, float[] Vectors);
}
