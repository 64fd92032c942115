using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rag.Compression.Extractive;
using Rag.Engine.Configuration;
using Rag.Engine.Diagnostics;
using Rag.Retrieval.Chunking;
using Rag.Retrieval.Lexical;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Stores;
using Rag.Retrieval.Vectors;

namespace Rag.Engine.Ingestion;

/// <summary>
/// Ingests one stored document: parse, chunk, write chunks, index (lexical, and vectors when an
/// embedder is configured: one per chunk and one per unit of each chunk), mark ready. Every step
/// replaces what an earlier, interrupted run left behind, so running the pipeline again for the
/// same document — after a crash, a retry or a duplicate enqueue — is always safe and never
/// duplicates a chunk. Content the parser cannot read ends the document as failed with a reason
/// written for the uploader; anything else is left to the caller to retry.
/// </summary>
public sealed partial class IngestionPipeline(
    IDocumentStore store,
    ILexicalIndex lexicalIndex,
    IVectorIndex vectorIndex,
    ITextEmbedder? embedder,
    DocumentChunker chunker,
    IDocumentLocks locks,
    IngestionRuns runs,
    RagMetrics metrics,
    IOptions<RagOptions> options,
    ILogger<IngestionPipeline> logger)
{
    private readonly bool _unitVectors = options.Value.Ingestion.UnitVectors;
    private readonly bool _chunkFromUnits = options.Value.Ingestion.UnitVectors && options.Value.Ingestion.ChunkVectors == ChunkVectorSource.Units;

    /// <summary>Runs ingestion for the document; returns at once if it is gone or already final.</summary>
    public Task RunAsync(string collection, string documentId, CancellationToken cancellationToken) =>
        GuardedAsync(collection, documentId, cancellationToken, async token =>
        {
            await using var held = await locks.AcquireAsync(collection, documentId, cancellationToken);
            if (await PrepareAsync(collection, documentId, grouped: false, token) is { } prepared)
                await FinishAsync(collection, [prepared], token);
        });

    /// <summary>
    /// Runs ingestion for a group of documents of one collection (a batch): under the group's locks, each is parsed
    /// and chunked in turn within its own time limit; then all are embedded together (the encoder batches across
    /// them), the lexical index takes them all in one commit, and they become ready together. A document that fails
    /// does not stop the others: the failures come back (documents that cannot be read are already failed, with
    /// their reason, and are not among them).
    /// </summary>
    public async Task<IReadOnlyList<(string DocumentId, Exception Error)>> RunGroupAsync(string collection, IReadOnlyList<string> documentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var failures = new List<(string DocumentId, Exception Error)>();
        var prepared = new List<Prepared>();
        // The group's locks in one go, and its documents with their bytes in one read: a few round trips for the
        // group rather than a few per document (PostgreSQL). The locks cover parsing and chunking, as a single
        // document's run; embedding and indexing check that each document is still there instead.
        await using (await locks.AcquireManyAsync(collection, documentIds, cancellationToken))
        {
            var known = (await store.GetManyAsync(collection, documentIds, withContent: true, cancellationToken))
                .ToDictionary(k => k.Document.Id, k => new Loaded(k.Document, k.Content), StringComparer.Ordinal);
            foreach (var documentId in documentIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await GuardedAsync(collection, documentId, cancellationToken, async token =>
                    {
                        if (await PrepareAsync(collection, documentId, grouped: true, token, known.GetValueOrDefault(documentId) ?? Loaded.Gone) is { } ready)
                            prepared.Add(ready);
                    });
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add((documentId, e));
                }
            }
        }

        if (embedder is not null && prepared.Count > 0)
            prepared = await EmbedGroupAsync(embedder, prepared, failures, cancellationToken);
        if (prepared.Count > 0)
            await FinishAsync(collection, prepared, cancellationToken);
        return failures;
    }

    /// <summary>
    /// Embeds a group's documents together: their chunks go to the encoder as one request, so its batches take
    /// texts across documents, sorted by length (a small document alone would be a batch of one), and their vectors
    /// are stored together. If either fails, every document of the group joins <paramref name="failures"/> (the
    /// group is retried; documents already stored are replaced whole).
    /// </summary>
    private async Task<List<Prepared>> EmbedGroupAsync(ITextEmbedder encoder, List<Prepared> prepared, List<(string DocumentId, Exception Error)> failures, CancellationToken cancellationToken)
    {
        IReadOnlyList<(ChunkVector Vector, bool Truncated)> vectors;
        using (var step = Contracts.RagTracing.Start("rag.ingest.embed"))
        {
            step?.SetTag("rag.model", encoder.ModelId).SetTag("rag.documents", prepared.Count).SetTag("rag.chunks", prepared.Sum(p => p.Chunks.Count));
            try
            {
                vectors = await VectorsAsync(encoder, [.. prepared.SelectMany(p => p.Chunks.Select(c => (p.Document.Title, c)))], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                foreach (var document in prepared)
                {
                    document.Span?.Dispose();
                    failures.Add((document.Document.Id, e));
                }

                return [];
            }
        }

        var own = new List<IReadOnlyList<(ChunkVector Vector, bool Truncated)>>(prepared.Count);
        var offset = 0;
        foreach (var document in prepared)
        {
            own.Add([.. vectors.Skip(offset).Take(document.Chunks.Count)]);
            offset += document.Chunks.Count;
        }

        try
        {
            await vectorIndex.UpsertManyAsync(prepared[0].Document.Collection, encoder.ModelId,
                [.. prepared.Select((p, i) => (p.Document.Id, p.Document.Tags, (IReadOnlyList<ChunkVector>)[.. own[i].Select(v => v.Vector)]))], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var document in prepared)
            {
                document.Span?.Dispose();
                failures.Add((document.Document.Id, e));
            }

            return [];
        }

        for (var i = 0; i < prepared.Count; i++)
            Embedded(encoder, prepared[i].Document, own[i]);
        return prepared;
    }

    /// <summary>One document's run with its limits: stopped by a delete, failed (once, with the reason) past Rag:Ingestion:MaxDocumentTime.</summary>
    private async Task GuardedAsync(string collection, string documentId, CancellationToken cancellationToken, Func<CancellationToken, Task> work)
    {
        var limit = options.Value.Ingestion.MaxDocumentTime;
        using var run = runs.Begin(collection, documentId, cancellationToken, limit);
        try
        {
            await work(run.Token);
        }
        catch (OperationCanceledException) when (run.StoppedForDelete && !cancellationToken.IsCancellationRequested)
        {
            // The document is being deleted: nothing to finish, nothing to retry.
            LogStoppedForDelete(collection, documentId);
        }
        catch (OperationCanceledException) when (run.TimedOut)
        {
            // Retrying would take as long again: the document fails once, with the reason.
            var reason = $"Ingestion took longer than {limit} (Rag:Ingestion:MaxDocumentTime); split the document or raise the limit.";
            LogUnreadable(collection, documentId, reason);
            await store.UpdateStateAsync(collection, documentId, DocumentState.Failed, 1.0, reason, CancellationToken.None);
        }
    }

    /// <summary>A document and its bytes read ahead for a group (<see cref="Gone"/>: not there when the group read).</summary>
    private sealed record Loaded(DocumentRecord? Document, byte[]? Content)
    {
        public static readonly Loaded Gone = new(null, null);
    }

    /// <summary>A document parsed, chunked, stored and embedded, waiting for the lexical commit that makes it ready; its span is still open.</summary>
    /// <remarks><see cref="PendingText"/>: in a group, the parsed text — text and chunks are written with the group's, in one transaction.</remarks>
    private sealed record Prepared(DocumentRecord Document, IReadOnlyList<TextChunk> Chunks, Stopwatch Clock, Activity? Span, string? PendingText = null);

    /// <summary>
    /// Parses, chunks, stores and (with an encoder) embeds the document. Null when there is nothing more to do: the
    /// document is gone, already final, or unreadable (then failed with the reason). <paramref name="grouped"/>: part
    /// of a group, which becomes ready together within moments; its parsing and indexing states are not written one
    /// by one (a transaction each), the document goes from queued to ready.
    /// </summary>
    private async Task<Prepared?> PrepareAsync(string collection, string documentId, bool grouped, CancellationToken cancellationToken, Loaded? loaded = null)
    {
        var document = loaded is null ? await store.GetAsync(collection, documentId, cancellationToken) : loaded.Document;
        if (document is null)
        {
            LogGone(collection, documentId);
            return null;
        }

        if (document.IsFinal)
            return null;

        var clock = Stopwatch.StartNew();
        var span = Contracts.RagTracing.Start("rag.ingest");
        span?.SetTag("rag.collection", collection).SetTag("rag.document.id", documentId)
            .SetTag("rag.document.kind", document.Kind).SetTag("rag.document.bytes", document.SizeBytes);
        var handedOn = false;
        try
        {
            if (!grouped)
                await store.UpdateStateAsync(collection, documentId, DocumentState.Parsing, 0.1, null, cancellationToken);
            var content = (loaded is null ? await store.GetContentAsync(collection, documentId, cancellationToken) : loaded.Content)
                ?? throw new InvalidOperationException($"Document {collection}/{documentId} has no stored content.");
            ParsedDocument parsed;
            using (var step = Contracts.RagTracing.Start("rag.ingest.parse"))
            {
                parsed = DocumentParser.Parse(content, DocumentKind.Parse(document.Kind), cancellationToken);
                step?.SetTag("rag.characters", parsed.Text.Length);
            }

            if (!grouped)
                await store.SetTextAsync(collection, documentId, parsed.Text, cancellationToken);
            IReadOnlyList<TextChunk> chunks;
            using (var step = Contracts.RagTracing.Start("rag.ingest.chunk"))
            {
                chunks = chunker.Chunk(parsed, cancellationToken);
                step?.SetTag("rag.chunks", chunks.Count).SetTag("rag.tokens", chunks.Sum(c => c.TokenCount));
            }

            span?.SetTag("rag.chunks", chunks.Count).SetTag("rag.tokens", chunks.Sum(c => c.TokenCount));
            if (chunks.Count == 0)
                throw new DocumentParseException("The document has no text to index.");

            // With an encoder, embedding is most of the work: progress gives it the span from 0.3 to 0.95.
            if (!grouped)
            {
                await store.UpdateStateAsync(collection, documentId, DocumentState.Indexing, 0.2, null, cancellationToken);
                if (!await store.ReplaceChunksAsync(collection, documentId, chunks, cancellationToken))
                {
                    LogGone(collection, documentId);
                    return null;
                }
            }

            // A group's documents are embedded together afterwards (EmbedGroupAsync).
            if (embedder is not null && !grouped)
            {
                await store.UpdateStateAsync(collection, documentId, DocumentState.Indexing, 0.3, null, cancellationToken);
                using var step = Contracts.RagTracing.Start("rag.ingest.embed");
                step?.SetTag("rag.model", embedder.ModelId).SetTag("rag.chunks", chunks.Count);
                await EmbedChunksAsync(embedder, document, chunks, 0.3, 0.95, cancellationToken);
            }

            handedOn = true;
            return new Prepared(document, chunks, clock, span, grouped ? parsed.Text : null);
        }
        catch (DocumentGoneException)
        {
            LogGone(collection, documentId);
            await lexicalIndex.DeleteAsync(collection, documentId, CancellationToken.None);
            await vectorIndex.DeleteAsync(collection, documentId, CancellationToken.None);
            return null;
        }
        catch (DocumentParseException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogUnreadable(collection, documentId, e.Message);
            await store.UpdateStateAsync(collection, documentId, DocumentState.Failed, 1.0, e.Message, CancellationToken.None);
            metrics.DocumentIngested("failed", document.SizeBytes, clock.Elapsed);
            return null;
        }
        finally
        {
            if (!handedOn)
                span?.Dispose();
        }
    }

    /// <summary>
    /// Indexes the prepared documents' chunks lexically in one commit, then marks each ready — only once what
    /// serves it is durable. A document deleted meanwhile (by a process that could not take its lock) loses what
    /// this run wrote instead.
    /// </summary>
    private async Task FinishAsync(string collection, IReadOnlyList<Prepared> prepared, CancellationToken cancellationToken)
    {
        try
        {
            await IndexAndMarkReadyAsync(collection, prepared, cancellationToken);
        }
        finally
        {
            foreach (var document in prepared)
                document.Span?.Dispose();
        }
    }

    private async Task IndexAndMarkReadyAsync(string collection, IReadOnlyList<Prepared> prepared, CancellationToken cancellationToken)
    {
        // A group's texts and chunks, in one transaction; a document deleted meanwhile is not written, and loses its vectors.
        var pending = prepared.Where(p => p.PendingText is not null).ToList();
        if (pending.Count > 0)
        {
            var written = await store.SaveParsedAsync(collection, [.. pending.Select(p => new ParsedChunks(p.Document.Id, p.PendingText!, p.Chunks))], cancellationToken);
            var gone = pending.Where((_, i) => !written[i]).Select(p => p.Document.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in gone)
            {
                LogGone(collection, id);
                await vectorIndex.DeleteAsync(collection, id, CancellationToken.None);
            }

            prepared = [.. prepared.Where(p => !gone.Contains(p.Document.Id))];
        }

        using (var step = Contracts.RagTracing.Start("rag.ingest.index", prepared.Count == 1 ? prepared[0].Span : null))
        {
            step?.SetTag("rag.documents", prepared.Count);
            await lexicalIndex.IndexManyAsync(collection, [.. prepared.Select(p => new LexicalDocument(p.Document.Id, p.Document.Tags, p.Chunks))], cancellationToken);
        }

        var alive = new List<Prepared>(prepared.Count);
        var present = (await store.GetManyAsync(collection, [.. prepared.Select(p => p.Document.Id)], withContent: false, cancellationToken))
            .Select(k => k.Document.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var document in prepared)
        {
            if (present.Contains(document.Document.Id))
            {
                alive.Add(document);
                continue;
            }

            LogGone(collection, document.Document.Id);
            await lexicalIndex.DeleteAsync(collection, document.Document.Id, CancellationToken.None);
            await vectorIndex.DeleteAsync(collection, document.Document.Id, CancellationToken.None);
        }

        await store.UpdateStatesAsync(collection, [.. alive.Select(a => a.Document.Id)], DocumentState.Ready, 1.0, cancellationToken);
        foreach (var (document, chunks, clock, _, _) in alive)
        {
            metrics.DocumentIngested("ready", document.SizeBytes, clock.Elapsed);
            LogReady(collection, document.Id, chunks.Count, document.SizeBytes, clock.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// Gives a ready document vectors from the configured embedder if it has none from it (an
    /// embedder configured after the document was ingested, or a different one), or none for its units
    /// (ingested by a version that did not store them). Returns whether it embedded anything.
    /// </summary>
    public async Task<bool> EnsureVectorsAsync(string collection, string documentId, CancellationToken cancellationToken)
    {
        if (embedder is null)
            return false;
        await using var held = await locks.AcquireAsync(collection, documentId, cancellationToken);
        var document = await store.GetAsync(collection, documentId, cancellationToken);
        if (document is not { State: DocumentState.Ready } || (await vectorIndex.ContainsAsync(collection, documentId, embedder.ModelId, cancellationToken)
                && (!_unitVectors || await vectorIndex.HasUnitsAsync(collection, documentId, embedder.ModelId, cancellationToken))))
            return false;
        var chunks = await store.GetChunksAsync(collection, documentId, cancellationToken);
        await EmbedChunksAsync(embedder, document, chunks, null, null, cancellationToken);
        return true;
    }

    /// <summary>
    /// Embeds the chunks (and their units) in slices, so a large document reports progress from
    /// <paramref name="from"/> to <paramref name="to"/> as its vectors are computed (none when null: a ready
    /// document stays ready), and other documents' slices and searches interleave with its own in the
    /// encoder's queue. Units are what the compressors split a retrieved chunk into (<see cref="UnitSplitter"/>),
    /// so what is stored here is exactly what /ask looks up.
    /// </summary>
    private async Task EmbedChunksAsync(ITextEmbedder encoder, DocumentRecord document, IReadOnlyList<TextChunk> chunks, double? from, double? to, CancellationToken cancellationToken)
    {
        const int Slice = 64;
        var vectors = new List<(ChunkVector Vector, bool Truncated)>(chunks.Count);
        for (var start = 0; start < chunks.Count; start += Slice)
        {
            vectors.AddRange(await VectorsAsync(encoder, [.. chunks.Skip(start).Take(Slice).Select(c => (document.Title, c))], cancellationToken));
            if (from is not null && await store.GetAsync(document.Collection, document.Id, cancellationToken) is null)
                throw new DocumentGoneException(); // deleted from another process: stop at this slice
            if (from is { } low && to is { } high && vectors.Count < chunks.Count)
            {
                var progress = Math.Round(low + ((high - low) * vectors.Count / chunks.Count), 3);
                await store.UpdateStateAsync(document.Collection, document.Id, DocumentState.Indexing, progress, null, cancellationToken);
            }
        }

        await StoreVectorsAsync(encoder, document, vectors, cancellationToken);
    }

    /// <summary>
    /// The chunks' vectors and their units' (see <see cref="EmbedChunksAsync"/>), in the chunks' order, from one request
    /// to the encoder, which batches everything by length. Units (<see cref="UnitSplitter"/>) are sentences, list items,
    /// rows, terms, code. <see cref="ChunkVectorSource.Read"/>: the chunk is read whole after its context — the
    /// document's title and the chunk's heading path — in windows when it is longer than the encoder reads; its
    /// sentences are pooled from that pass (late chunking: prose reads best in its context), while every other unit is
    /// read alone, so a bullet's vector is about that bullet, not its neighbours. <see cref="ChunkVectorSource.Units"/>:
    /// every unit is read alone and the chunk's vector is their pool with its context's vector, so each token is read once.
    /// </summary>
    private async Task<IReadOnlyList<(ChunkVector Vector, bool Truncated)>> VectorsAsync(ITextEmbedder encoder, IReadOnlyList<(string? Title, TextChunk Chunk)> chunks, CancellationToken cancellationToken)
    {
        var units = chunks.Select(c => (IReadOnlyList<Sentence>)(_unitVectors ? UnitSplitter.Split(c.Chunk.Text) : [])).ToList();
        var contexts = chunks.Select(c => Context(c.Title, c.Chunk.Section)).ToList();
        var read = chunks.Select((_, i) => !_chunkFromUnits || units[i].Count == 0).ToArray();
        // Read mode pools prose sentences (and headings) from the chunk's own pass; every other unit is read alone.
        var lateUnits = units.Select((list, i) => read[i] ? list.Select(u => u.Kind is UnitKind.Sentence or UnitKind.Heading).ToArray() : new bool[list.Count]).ToList();
        var readIndex = Enumerable.Range(0, chunks.Count).Where(i => read[i]).ToList();
        var whole = await encoder.EmbedWholeAsync(
            [.. readIndex.Select(i => chunks[i].Chunk.Text)],
            [.. readIndex.Select(i => contexts[i])],
            [.. readIndex.Select(i => (IReadOnlyList<(int, int)>)[.. units[i].Where((_, k) => lateUnits[i][k]).Select(u => (u.Start, u.Length))])],
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
            var unitVectors = units[i].Select((u, k) => new UnitVector(u.Start, u.Length, sources[i][k].Pooled ?? own[sources[i][k].Alone].Vector)).ToList();
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

    private async Task StoreVectorsAsync(ITextEmbedder encoder, DocumentRecord document, IReadOnlyList<(ChunkVector Vector, bool Truncated)> vectors, CancellationToken cancellationToken)
    {
        await vectorIndex.UpsertAsync(document.Collection, document.Id, document.Tags, encoder.ModelId, [.. vectors.Select(v => v.Vector)], cancellationToken);
        Embedded(encoder, document, vectors);
    }

    /// <summary>Counts the chunks embedded and says when some were longer than the encoder reads.</summary>
    private void Embedded(ITextEmbedder encoder, DocumentRecord document, IReadOnlyList<(ChunkVector Vector, bool Truncated)> vectors)
    {
        var truncated = vectors.Count(v => v.Truncated);
        metrics.ChunksEmbedded(vectors.Count, truncated);
        if (truncated > 0)
            LogTruncated(document.Collection, document.Id, truncated, vectors.Count, encoder.MaxTokens);
    }

    /// <summary>The document was deleted while this run worked on it.</summary>
    private sealed class DocumentGoneException : Exception;

    /// <summary>Ends the document as failed (used when retries of an unexpected error are exhausted).</summary>
    public async Task MarkFailedAsync(string collection, string documentId, string reason, CancellationToken cancellationToken)
    {
        var document = await store.GetAsync(collection, documentId, cancellationToken);
        if (document is null || document.IsFinal)
            return;
        await store.UpdateStateAsync(collection, documentId, DocumentState.Failed, 1.0, reason, cancellationToken);
        metrics.DocumentIngested("failed", document.SizeBytes, TimeSpan.Zero);
    }

    [LoggerMessage(EventId = LogEvents.DocumentReady, Level = LogLevel.Information, Message = "Ingested {Collection}/{DocumentId}: {ChunkCount} chunks from {SizeBytes} bytes in {ElapsedMs} ms")]
    private partial void LogReady(string collection, string documentId, int chunkCount, long sizeBytes, long elapsedMs);

    [LoggerMessage(EventId = LogEvents.DocumentUnreadable, Level = LogLevel.Warning, Message = "Document {Collection}/{DocumentId} cannot be ingested: {Reason}")]
    private partial void LogUnreadable(string collection, string documentId, string reason);

    [LoggerMessage(EventId = LogEvents.ChunksTruncated, Level = LogLevel.Information,
        Message = "Document {Collection}/{DocumentId}: {Truncated} of {Chunks} chunks are longer than the embedder reads ({MaxTokens} tokens); their vectors cover their start")]
    private partial void LogTruncated(string collection, string documentId, int truncated, int chunks, int maxTokens);

    [LoggerMessage(EventId = LogEvents.IngestionStoppedForDelete, Level = LogLevel.Information, Message = "Ingestion of {Collection}/{DocumentId} stopped: the document is being deleted")]
    private partial void LogStoppedForDelete(string collection, string documentId);

    [LoggerMessage(EventId = LogEvents.DocumentGone, Level = LogLevel.Information, Message = "Document {Collection}/{DocumentId} was deleted before ingestion finished; nothing to do")]
    private partial void LogGone(string collection, string documentId);
}
