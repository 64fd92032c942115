using System.Numerics.Tensors;

namespace Rag.Engine.Models;

/// <summary>Picks the next token from logits: greedy, or temperature and nucleus (top-p) sampling.</summary>
internal sealed class TokenSampler
{
    private readonly float _temperature;
    private readonly float _topP;
    private readonly Random _random;
    private float[] _probabilities = [];
    private int[] _order = [];

    public TokenSampler(float temperature, float topP, int? seed)
    {
        _temperature = temperature;
        _topP = topP;
        _random = seed is { } s ? new Random(s) : Random.Shared;
    }

    public int Next(ReadOnlySpan<float> logits)
    {
        if (_temperature <= 0)
            return TensorPrimitives.IndexOfMax(logits);

        if (_probabilities.Length != logits.Length)
        {
            _probabilities = new float[logits.Length];
            _order = new int[logits.Length];
        }

        var p = _probabilities.AsSpan();
        TensorPrimitives.Divide(logits, _temperature, p);
        TensorPrimitives.SoftMax(p, p);
        if (!float.IsFinite(TensorPrimitives.Sum(p)))
            return TensorPrimitives.IndexOfMax(logits); // a temperature so small that the scaled logits overflow: greedy
        var candidates = p.Length;
        if (_topP < 1)
        {
            for (var i = 0; i < _order.Length; i++)
                _order[i] = i;
            var probabilities = _probabilities;
            Array.Sort(_order, (a, b) => probabilities[b].CompareTo(probabilities[a]));
            var cumulative = 0f;
            candidates = 0;
            // The nucleus always holds the most likely token, however small top_p is.
            while (candidates < _order.Length && (candidates == 0 || cumulative < _topP))
                cumulative += p[_order[candidates++]];
            var pick = (float)_random.NextDouble() * cumulative;
            for (var i = 0; i < candidates; i++)
            {
                pick -= p[_order[i]];
                if (pick <= 0)
                    return _order[i];
            }

            return _order[candidates - 1];
        }

        var draw = (float)_random.NextDouble();
        for (var i = 0; i < p.Length; i++)
        {
            draw -= p[i];
            if (draw <= 0)
                return i;
        }

        return TensorPrimitives.IndexOfMax(p);
    }
}
