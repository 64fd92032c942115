using System.Security.Cryptography;
using System.Text;
using Rag.Compression.Ports;
using Rag.Compression.Text;

namespace Rag.Compression.Methods;

/// <summary>
/// The segment method's question-independent part: cut each context into segments of about
/// <see cref="CompressorOptions.SegmentTokens"/> tokens at unit boundaries, score every unit of a
/// segment by the scorer's mean surprisal (NLL per token, the segment alone as context), and cache
/// the scores under (segment text hash, scorer model). A segment seen before — in any request, for
/// any question or rate — is a cache read, not a model call; the cost of a new context is linear
/// in its length. (CompLLM caches per segment the same way; its compressor emits soft embeddings,
/// ours a hard keep/drop signal, so the result stays text any LLM can read.)
/// </summary>
internal static class Segments
{
    private const string Scheme = "seg-information-v2";
    private const string QuestionScheme = "seg-question-v1";

    /// <summary>
    /// Per unit: the summed NLL of its tokens (its information, in nats). With a question, also per
    /// segment: the question's mean NLL after the segment (lower = the segment explains the question
    /// better; LongLLMLingua's ranking signal). Both come from one pass over segment + question — the
    /// segment's tokens come first, so their NLL does not depend on the question — and both are
    /// cached: the surprisal under (segment, model), the question NLL under (segment, question, model).
    /// </summary>
    public static async Task<SegmentScores> ScoreAsync(
        IReadOnlyList<string> texts, IReadOnlyList<Word> units, string? question, ITokenScorer scorer, ISegmentCache cache, int segmentTokens,
        string scope, CancellationToken cancellationToken)
    {
        var segments = Cut(units, segmentTokens);
        var segmentTexts = segments.Select(s => SegmentText(texts, units, s)).ToList();
        var keys = segmentTexts.Select(t => Key(Scheme, scorer.ModelId, scope, t)).ToList();
        var questionKeys = question is null ? [] : segmentTexts.Select(t => Key(QuestionScheme, scorer.ModelId, scope, t + "\u0000" + question)).ToList();
        var cached = await cache.GetManyAsync([.. keys, .. questionKeys], cancellationToken);
        var information = new double[units.Count];
        var questionNll = new double[segments.Count];
        var segmentOfUnit = new int[units.Count];
        var missing = new List<int>();
        for (var s = 0; s < segments.Count; s++)
        {
            for (var i = 0; i < segments[s].Count; i++)
                segmentOfUnit[segments[s].First + i] = s;
            var values = cached[s] is { } bytes ? Decode(bytes, segments[s].Count) : null;
            var q = question is null ? Array.Empty<double>() : cached[segments.Count + s] is { } qb ? Decode(qb, 1) : null;
            if (values is null || q is null)
            {
                missing.Add(s);
                continue;
            }

            values.CopyTo(information, segments[s].First);
            if (question is not null)
                questionNll[s] = q[0];
        }

        if (missing.Count > 0)
        {
            var questionIds = question is null ? [] : scorer.Tokenizer.EncodeToIds("\n\n" + question);
            var encoded = missing.Select(s => Encode(texts, units, segments[s], scorer, questionIds.Count)).ToList();
            var nll = await scorer.ScoreAsync(encoded.Select(e => (IReadOnlyList<int>)[.. e.Ids, .. questionIds]).ToList(), cancellationToken);
            var entries = new List<KeyValuePair<string, byte[]>>();
            for (var m = 0; m < missing.Count; m++)
            {
                var s = missing[m];
                var values = SumPerUnit(nll[m], encoded[m].UnitOfToken, segments[s].Count);
                values.CopyTo(information, segments[s].First);
                entries.Add(new(keys[s], EncodeValues(values)));
                if (question is not null)
                {
                    questionNll[s] = nll[m].Skip(encoded[m].Ids.Count - 1).Take(questionIds.Count).DefaultIfEmpty(0).Average(v => (double)v);
                    entries.Add(new(questionKeys[s], EncodeValues([questionNll[s]])));
                }
            }

            await cache.SetManyAsync(entries, cancellationToken);
        }

        return new SegmentScores(information, question is null ? null : questionNll, segmentOfUnit, segments.Count - missing.Count, missing.Count);
    }

    /// <summary>Scorer ids of the units [first, first + count) with the unit each token belongs to (-1 for BOS), from one encoding of their text.</summary>
    internal static (IReadOnlyList<int> Ids, int[] UnitOfToken) Encode(IReadOnlyList<string> texts, IReadOnlyList<Word> units, (int First, int Count) range, ITokenScorer scorer, int reserve = 0)
    {
        var first = units[range.First];
        var offset = first.Start;
        var text = texts[first.Item][offset..units[range.First + range.Count - 1].End];
        var (tokenIds, starts) = TokenAlignment.Encode(scorer.Tokenizer, text);
        var unitStarts = Enumerable.Range(range.First, range.Count).Select(u => units[u].Start - offset).ToArray();
        var ids = new List<int>();
        var owner = new List<int>();
        if (scorer.BosTokenId is { } bos)
        {
            ids.Add(bos);
            owner.Add(-1);
        }

        var limit = Math.Max(1, scorer.MaxTokens - reserve);
        for (var t = 0; t < tokenIds.Count && ids.Count < limit; t++)
        {
            var unit = Array.BinarySearch(unitStarts, starts[t]);
            ids.Add(tokenIds[t]);
            owner.Add(unit >= 0 ? unit : Math.Max(0, ~unit - 1));
        }

        return (ids, owner.ToArray());
    }

    /// <summary>Summed NLL of each unit's tokens (token t's NLL is nll[t − 1]).</summary>
    internal static double[] SumPerUnit(float[] nll, int[] unitOfToken, int count)
    {
        var sum = new double[count];
        for (var t = 1; t < unitOfToken.Length && t - 1 < nll.Length; t++)
        {
            if (unitOfToken[t] >= 0)
                sum[unitOfToken[t]] += nll[t - 1];
        }

        return sum;
    }

    /// <summary>Mean NLL of each unit's tokens (token t's NLL is nll[t − 1]); a unit with no scored token gets the segment mean.</summary>
    internal static double[] MeanPerUnit(float[] nll, int[] unitOfToken, int count)
    {
        var sum = new double[count];
        var n = new int[count];
        for (var t = 1; t < unitOfToken.Length; t++)
        {
            var unit = unitOfToken[t];
            if (unit < 0)
                continue;
            sum[unit] += nll[t - 1];
            n[unit]++;
        }

        var mean = n.Sum() == 0 ? 0 : sum.Sum() / n.Sum();
        return [.. Enumerable.Range(0, count).Select(i => n[i] == 0 ? mean : sum[i] / n[i])];
    }

    private static List<(int First, int Count)> Cut(IReadOnlyList<Word> units, int segmentTokens)
    {
        var segments = new List<(int, int)>();
        var first = 0;
        var tokens = 0;
        for (var i = 0; i < units.Count; i++)
        {
            var boundary = i > first && (units[i].Item != units[first].Item || tokens + units[i].Tokens > segmentTokens);
            if (boundary)
            {
                segments.Add((first, i - first));
                first = i;
                tokens = 0;
            }

            tokens += units[i].Tokens;
        }

        if (units.Count > first)
            segments.Add((first, units.Count - first));
        return segments;
    }

    private static string SegmentText(IReadOnlyList<string> texts, IReadOnlyList<Word> units, (int First, int Count) segment)
    {
        var first = units[segment.First];
        var last = units[segment.First + segment.Count - 1];
        return texts[first.Item][first.Start..last.End];
    }

    /// <summary>
    /// The cache key: scheme, model and a hash of the tenant's scope with the text — one tenant's entries
    /// are never another's hits, so neither cache hits nor timings tell what someone else compressed.
    /// </summary>
    private static string Key(string scheme, string modelId, string scope, string text) =>
        $"{scheme}:{modelId}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\u0001" + text)))}";

    private static byte[] EncodeValues(double[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), (float)values[i]);
        return bytes;
    }

    private static double[]? Decode(byte[] bytes, int count)
    {
        if (bytes.Length != count * sizeof(float))
            return null;
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = BitConverter.ToSingle(bytes, i * sizeof(float));
        return values;
    }
}

/// <summary>What the segment pass measured.</summary>
/// <param name="Information">Per unit, the summed NLL of its tokens.</param>
/// <param name="QuestionNll">Per segment, the question's mean NLL after it (null without a question).</param>
/// <param name="SegmentOfUnit">The segment of each unit.</param>
/// <param name="Hits">Segments served from the cache.</param>
/// <param name="Misses">Segments the model scored.</param>
internal sealed record SegmentScores(double[] Information, double[]? QuestionNll, int[] SegmentOfUnit, int Hits, int Misses);
