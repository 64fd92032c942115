using Rag.Engine.Models;

namespace Rag.Engine.Tests.Models;

/// <summary>Sampling settings at their edges pick a token, never fail.</summary>
public sealed class TokenSamplerTests
{
    private static readonly float[] Logits = [0.5f, 3.0f, -1.0f, 2.5f, 0.0f];

    [Theory]
    [InlineData(1.0f, 5e-324)] // top_p that is 0 as a float: the nucleus still holds the best token
    [InlineData(1.0f, 1e-30)]
    [InlineData(1e-45f, 0.9)]  // a temperature whose scaled logits overflow: greedy
    [InlineData(float.Epsilon, 1.0)]
    public void Extreme_settings_pick_the_most_likely_token(float temperature, double topP)
    {
        var sampler = new TokenSampler(temperature, (float)topP, seed: 7);

        for (var i = 0; i < 20; i++)
            Assert.Equal(1, sampler.Next(Logits));
    }

    [Fact]
    public void Ordinary_nucleus_sampling_stays_inside_the_nucleus()
    {
        var sampler = new TokenSampler(1.0f, 0.8f, seed: 3);

        var picks = Enumerable.Range(0, 200).Select(_ => sampler.Next(Logits)).ToHashSet();

        Assert.Subset(new HashSet<int> { 1, 3 }, picks); // the two best tokens hold over 80% of the mass
        Assert.Equal(2, picks.Count);
    }
}
