using Rag.Client;

namespace Rag.SemanticKernel;

/// <summary>The plugin's backend over a running Rag service (register with <c>services.AddRagHttpBackend(url, apiKey)</c>).</summary>
public sealed class HttpRagBackend(RagClient client) : IRagBackend
{
    /// <inheritdoc/>
    public Uri Link(string collection, string documentId, int start, int end) => client.BaseAddress is { } service
        ? RagLinks.Service(service, collection, documentId, start, end)
        : RagLinks.InProcess(collection, documentId, start, end);

    /// <inheritdoc/>
    public async Task<RagAskResult> AskAsync(string collection, string question, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        var answer = await client.AskAsync(collection, new RagAskRequest(question, topK, Tags: tags), cancellationToken);
        return new RagAskResult(answer.Answer, answer.Mode, [.. answer.Citations.Select(c => new RagSource(c.Number, c.DocumentId, c.ChunkId, c.Quote))]);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RagSearchResult>> SearchAsync(string collection, string query, int topK, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        var response = await client.SearchAsync(collection, new RagSearchRequest(query, topK, tags), cancellationToken);
        return [.. response.Results.Select(r => new RagSearchResult(r.DocumentId, r.ChunkId, r.Text, r.Score, r.Section, r.Title, r.Start, r.End))];
    }

    /// <inheritdoc/>
    public async Task<RagCompressResult> CompressAsync(string text, string? question, double rate, string method, CancellationToken cancellationToken)
    {
        var result = await client.CompressAsync(new RagCompressRequest([text], Question: question, Rate: rate, Method: method), cancellationToken);
        return new RagCompressResult(result.CompressedPrompt, result.OriginTokens, result.CompressedTokens, result.Ratio, result.Method);
    }

    /// <inheritdoc/>
    public async Task<RagIngestResult> IngestAsync(string collection, string text, string? title, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken)
    {
        var document = await client.IngestTextAsync(collection, new RagTextDocument(text, title, tags), cancellationToken);
        if (wait)
            document = await client.WaitUntilFinalAsync(collection, document.Id, cancellationToken: cancellationToken);
        return new RagIngestResult(document.Id, collection, document.State, document.ChunkCount, document.Error, document.Duplicate);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RagIngestResult>> IngestManyAsync(string collection, IReadOnlyList<string> texts, IReadOnlyList<string>? tags, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var batch = await client.IngestManyAsync(collection, texts.Select(t => new RagTextDocument(t, Tags: tags)), cancellationToken);
        var results = new List<RagIngestResult>(batch.Documents.Count);
        foreach (var item in batch.Documents)
        {
            if (item.Error is { } error)
            {
                var reason = error.Errors is { Count: > 0 } fields ? string.Join(" ", fields.SelectMany(f => f.Value)) : error.Detail ?? error.Title;
                results.Add(new RagIngestResult("", collection, "rejected", 0, reason, false));
                continue;
            }

            var document = wait
                ? await client.WaitUntilFinalAsync(collection, item.Id!, cancellationToken: cancellationToken)
                : await client.GetDocumentAsync(collection, item.Id!, cancellationToken);
            results.Add(new RagIngestResult(document.Id, collection, document.State, document.ChunkCount, document.Error, item.Duplicate == true));
        }

        return results;
    }
}
