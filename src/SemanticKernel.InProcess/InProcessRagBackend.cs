using System.Text;
using Rag.Compression;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Search;
using Rag.Retrieval.Parsing;
using Rag.Retrieval.Stores;

namespace Rag.SemanticKernel;

/// <summary>The plugin's backend over Rag.Engine in this process (register with <c>services.AddRagInProcess(configuration)</c>).</summary>
public sealed class InProcessRagBackend(AskService ask, SearchService search, PromptCompressor compressor, DocumentService documents) : IRagBackend
{
    /// <inheritdoc/>
    public async Task<RagAskResult> AskAsync(string collection, string question, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        var result = await ask.AskAsync(collection, new AskQuery(question, topK, 256, tags ?? []), cancellationToken);
        return new RagAskResult(result.Answer, result.Mode, [.. result.Citations.Select(c => new RagSource(c.Number, c.DocumentId, c.ChunkId, c.Quote))]);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RagSearchResult>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        var outcome = await search.SearchAsync(collection, new SearchQuery(query, topK, tags ?? []), cancellationToken);
        return [.. outcome.Results.Select(r => new RagSearchResult(r.DocumentId, r.ChunkId, r.Text, r.Score, r.Section, r.Title, r.Start, r.End))];
    }

    /// <inheritdoc/>
    public async Task<RagCompressResult> CompressAsync(string text, string? question, double rate, string method, CancellationToken cancellationToken)
    {
        var parsed = CompressionMethod.TryParse(method, out var m)
            ? m
            : throw new ArgumentException($"Unknown compression method '{method}': use auto, segment, longcodezip, gemfilter, truncate or none.", nameof(method));
        var result = await compressor.CompressAsync(new CompressionRequest([text], Question: question, Rate: rate, Method: parsed), cancellationToken);
        return new RagCompressResult(result.CompressedPrompt, result.OriginTokens, result.CompressedTokens, result.Ratio, result.Method.Name);
    }

    /// <inheritdoc/>
    public async Task<RagIngestResult> IngestAsync(string collection, string text, string? title, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken)
    {
        var upload = new DocumentUpload(collection, Encoding.UTF8.GetBytes(text), new DocumentKind(DocumentFormat.Text), null, title, tags ?? []);
        var (document, created) = await documents.AddAsync(upload, cancellationToken);
        return await ResultAsync(collection, document, created, wait, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RagIngestResult>> IngestManyAsync(string collection, IReadOnlyList<string> texts, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var uploads = texts.Select(t => new DocumentUpload(collection, Encoding.UTF8.GetBytes(t), new DocumentKind(DocumentFormat.Text), null, null, tags ?? [])).ToList();
        var added = await documents.AddManyAsync(collection, uploads, cancellationToken, DocumentService.NewBatchId());
        var results = new List<RagIngestResult>(added.Count);
        foreach (var (document, created) in added)
            results.Add(await ResultAsync(collection, document, created, wait, cancellationToken));
        return results;
    }

    private async Task<RagIngestResult> ResultAsync(string collection, DocumentRecord document, bool created, bool wait, CancellationToken cancellationToken)
    {
        while (wait && !document.IsFinal)
        {
            await Task.Delay(100, cancellationToken);
            document = await documents.GetAsync(collection, document.Id, cancellationToken) ?? document;
        }

        return new RagIngestResult(document.Id, collection, document.State.ToString().ToLowerInvariant(), document.ChunkCount, document.Error, !created);
    }
}
