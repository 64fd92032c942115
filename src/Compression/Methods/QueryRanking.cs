using Rag.Compression.Ports;
using Rag.Compression.Text;

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
        var sequences = new List<IReadOnlyList<int>>();
        var questionTokens = new int[contexts.Count];
        foreach (var context in contexts)
        {
            // One encoding of context + question, so the tokens at the seam are the natural ones.
            var text = context.Length == 0 ? question : context + "\n\n" + question;
            var (ids, starts) = TokenAlignment.Encode(scorer.Tokenizer, text);
            var questionStart = text.Length - question.Length;
            var inQuestion = starts.Count(s => s >= questionStart);
            var room = scorer.MaxTokens - (scorer.BosTokenId is null ? 0 : 1);
            var kept = ids.Skip(Math.Max(0, ids.Count - room)).ToList();
            if (scorer.BosTokenId is { } bos)
                kept.Insert(0, bos);
            questionTokens[sequences.Count] = Math.Min(inQuestion, kept.Count - 1);
            sequences.Add(kept);
        }

        var nll = await scorer.ScoreAsync(sequences, cancellationToken);
        var result = new double[contexts.Count];
        for (var c = 0; c < contexts.Count; c++)
        {
            var q = Math.Min(questionTokens[c], nll[c].Length);
            result[c] = q == 0 ? 0 : nll[c].Skip(nll[c].Length - q).Average();
        }

        return result;
    }
}
