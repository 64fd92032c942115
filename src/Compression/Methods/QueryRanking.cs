using Rag.Compression.Ports;

namespace Rag.Compression.Methods;

/// <summary>
/// LongLLMLingua's coarse step: rank contexts by how likely the question is after them — the mean
/// NLL of the question's tokens conditioned on the context (lower is better). One scored sequence
/// per context, batched. A context longer than the scorer takes is represented by its end, next to
/// the question.
/// </summary>
internal static class QueryRanking
{
    public static async Task<double[]> QuestionNllAsync(ITokenScorer scorer, IReadOnlyList<string> contexts, string question, CancellationToken cancellationToken)
    {
        var questionIds = scorer.Tokenizer.EncodeToIds("\n\n" + question);
        var room = Math.Max(16, scorer.MaxTokens - questionIds.Count - 1);
        var sequences = new List<IReadOnlyList<int>>();
        foreach (var context in contexts)
        {
            var contextIds = scorer.Tokenizer.EncodeToIds(context);
            var ids = new List<int>();
            if (scorer.BosTokenId is { } bos)
                ids.Add(bos);
            ids.AddRange(contextIds.Skip(Math.Max(0, contextIds.Count - room)));
            ids.AddRange(questionIds.Take(scorer.MaxTokens - ids.Count));
            sequences.Add(ids);
        }

        var nll = await scorer.ScoreAsync(sequences, cancellationToken);
        var result = new double[contexts.Count];
        for (var c = 0; c < contexts.Count; c++)
        {
            var q = Math.Min(questionIds.Count, nll[c].Length);
            result[c] = q == 0 ? 0 : nll[c].Skip(nll[c].Length - q).Average();
        }

        return result;
    }

    /// <summary>Mean NLL of <paramref name="question"/> after each prefix (or alone for an empty one): the perplexity terms of LongCodeZip's AMI.</summary>
    public static Task<double[]> QuestionNllAfterAsync(ITokenScorer scorer, IReadOnlyList<string> prefixes, string question, CancellationToken cancellationToken) =>
        QuestionNllAsync(scorer, prefixes, question, cancellationToken);
}
