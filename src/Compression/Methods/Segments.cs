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
    private const string Scheme = "seg-surprisal-v1";

    public static async Task<(double[] Scores, int Hits, int Misses)> ScoreAsync(
        IReadOnlyList<string> texts, IReadOnlyList<TextUnit> units, ITokenScorer scorer, ISegmentCache cache, int segmentTokens, CancellationToken cancellationToken)
    {
        var segments = Cut(units, segmentTokens);
        var keys = segments.Select(s => Key(scorer.ModelId, SegmentText(texts, units, s))).ToList();
        var cached = await cache.GetManyAsync(keys, cancellationToken);
        var scores = new double[units.Count];
        var missing = new List<int>();
        for (var s = 0; s < segments.Count; s++)
        {
            var values = cached[s] is { } bytes ? Decode(bytes, segments[s].Count) : null;
            if (values is null)
            {
                missing.Add(s);
                continue;
            }

            for (var i = 0; i < values.Length; i++)
                scores[segments[s].First + i] = values[i];
        }

        if (missing.Count > 0)
        {
            var encoded = missing.Select(s => Encode(texts, units, segments[s], scorer)).ToList();
            var nll = await scorer.ScoreAsync(encoded.Select(e => e.Ids).ToList(), cancellationToken);
            var entries = new List<KeyValuePair<string, byte[]>>();
            for (var m = 0; m < missing.Count; m++)
            {
                var segment = segments[missing[m]];
                var values = MeanPerUnit(nll[m], encoded[m].UnitOfToken, segment.Count);
                for (var i = 0; i < values.Length; i++)
                    scores[segment.First + i] = values[i];
                entries.Add(new(keys[missing[m]], EncodeValues(values)));
            }

            await cache.SetManyAsync(entries, cancellationToken);
        }

        return (scores, segments.Count - missing.Count, missing.Count);
    }

    /// <summary>Scorer ids of the units [first, first + count) with the unit each token belongs to (-1 for BOS).</summary>
    internal static (IReadOnlyList<int> Ids, int[] UnitOfToken) Encode(IReadOnlyList<string> texts, IReadOnlyList<TextUnit> units, (int First, int Count) range, ITokenScorer scorer)
    {
        var ids = new List<int>();
        var owner = new List<int>();
        if (scorer.BosTokenId is { } bos)
        {
            ids.Add(bos);
            owner.Add(-1);
        }

        for (var i = 0; i < range.Count; i++)
        {
            var unit = units[range.First + i];
            var piece = texts[unit.Item].Substring(unit.Start, unit.Length);
            foreach (var id in scorer.Tokenizer.EncodeToIds(piece))
            {
                if (ids.Count >= scorer.MaxTokens)
                    break;
                ids.Add(id);
                owner.Add(i);
            }
        }

        return (ids, owner.ToArray());
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

    private static List<(int First, int Count)> Cut(IReadOnlyList<TextUnit> units, int segmentTokens)
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

    private static string SegmentText(IReadOnlyList<string> texts, IReadOnlyList<TextUnit> units, (int First, int Count) segment)
    {
        var first = units[segment.First];
        var last = units[segment.First + segment.Count - 1];
        return texts[first.Item][first.Start..last.End];
    }

    private static string Key(string modelId, string text) =>
        $"{Scheme}:{modelId}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}";

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
