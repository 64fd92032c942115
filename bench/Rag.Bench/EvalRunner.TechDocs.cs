using Microsoft.Extensions.DependencyInjection;
using Rag.Engine;
using Rag.Engine.Answers;
using Rag.Engine.Documents;
using Rag.Engine.Ingestion;
using Rag.Engine.Search;
using Rag.Retrieval.Parsing;

namespace Rag.Bench;

internal static partial class EvalRunner
{
    /// <summary>
    /// The techdocs development set end to end, as the service runs it in process (embedded storage, the default
    /// encoder, no decoder: answers are extractive): the 32 documents ingested into one collection, then for each test
    /// question `/ask` with the endpoint's defaults (top 5, 256 tokens) — does a citation hold the answer string, does
    /// the first — and `/v1/compress` with the question over the top 5 search hits (what a caller with their own LLM
    /// sends) at 4x and 10x — does the answer string survive, over the questions whose hits hold it.
    /// </summary>
    private static async Task TechDocsAsync(Action<string> say)
    {
        var folder = TechDocs.Folder();
        var all = TechDocs.Questions();
        var questions = all.Where(q => !q.Fit).ToList();
        var dataPath = Directory.CreateTempSubdirectory("rag-techdocs-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Rag:DataPath"] = dataPath,
            ["Rag:Models:BuiltInPath"] = Path.Combine(Path.GetTempPath(), "rag-bench-models"),
        };
        var (provider, queue) = BenchEngine.Build(settings);
        await using var _ = provider;
        var documents = provider.GetRequiredService<DocumentService>();
        // Every document of the set, the fit split's too: they are the other documents a question competes with.
        foreach (var name in all.Select(q => q.Document).Distinct())
        {
            var path = Path.Combine(folder, name);
            var kind = DocumentKinds.Detect(path, null) ?? new DocumentKind(DocumentFormat.Text);
            await documents.AddAsync(new DocumentUpload("techdocs", await File.ReadAllBytesAsync(path), kind, name, null, []), CancellationToken.None);
        }

        var pipeline = provider.GetRequiredService<IngestionPipeline>();
        while (queue.TryTake(out var item))
            await pipeline.RunAsync(item.Collection, item.DocumentId, CancellationToken.None);

        var ask = provider.GetRequiredService<AskService>();
        var search = provider.GetRequiredService<SearchService>();
        var compressor = provider.GetRequiredService<PromptCompressor>();
        static bool Holds(string text, string answer) =>
            RetrievalBench.Collapse(text).Contains(RetrievalBench.Collapse(answer), StringComparison.OrdinalIgnoreCase);

        int cited = 0, first = 0, present = 0;
        var methods = new[] { "auto", "coarse_to_fine", "bm25" };
        var kept = methods.ToDictionary(m => m, _ => new int[2]);
        double[] rates = [0.25, 0.1];
        foreach (var question in questions)
        {
            var answer = await ask.AskAsync("techdocs", new AskQuery(question.Question, 5, 256, []), CancellationToken.None);
            cited += answer.Citations.Any(c => Holds(c.Quote, question.Answer)) ? 1 : 0;
            first += answer.Citations.Count > 0 && Holds(answer.Citations[0].Quote, question.Answer) ? 1 : 0;

            var hits = await search.SearchAsync("techdocs", new SearchQuery(question.Question, 5, []), CancellationToken.None);
            var context = hits.Results.Select(h => h.Text).ToList();
            if (!context.Any(c => Holds(c, question.Answer)))
                continue;
            present++;
            foreach (var method in methods)
            {
                for (var r = 0; r < rates.Length; r++)
                {
                    var prompt = method == "bm25"
                        ? Bm25(context, question.Question, rates[r]).Prompt
                        : (await compressor.CompressAsync(new CompressionRequest(context, Question: question.Question, Rate: rates[r], Method: CompressionMethod.Parse(method)), CancellationToken.None)).CompressedPrompt;
                    kept[method][r] += Holds(prompt, question.Answer) ? 1 : 0;
                }
            }
        }

        say($"\n## Long technical documents (techdocs, test split)\n\n{questions.Count} questions about {questions.Select(q => q.Document).Distinct().Count()} documents, asked of a collection of all {all.Select(q => q.Document).Distinct().Count()} " +
            "(bench/techdocs: release notes, Markdown, HTML references, manual pages, PDFs), ingested with the defaults. " +
            "`/ask` as the endpoint defaults (top 5, 256 tokens, extractive): a citation holds the answer string; the first one does. " +
            $"`/v1/compress` with the question over the top 5 search hits, kept = the answer string survives, over the {present} questions whose hits hold it.\n");
        say("| `/ask` cites the answer | in its first citation |");
        say("|---|---|");
        say($"| {(double)cited / questions.Count:P0} ({cited}/{questions.Count}) | {(double)first / questions.Count:P0} ({first}/{questions.Count}) |\n");
        say("| `/v1/compress` method | kept at 4x | kept at 10x |");
        say("|---|---|---|");
        foreach (var method in methods)
            say($"| {(method == "bm25" ? "bm25 sentence selection (baseline)" : method)} | {(double)kept[method][0] / present:P0} | {(double)kept[method][1] / present:P0} |");
        Directory.Delete(dataPath, recursive: true);
    }
}
