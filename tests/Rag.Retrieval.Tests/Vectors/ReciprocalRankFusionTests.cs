using Rag.Retrieval.Vectors;

namespace Rag.Retrieval.Tests.Vectors;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Items_found_by_both_rankers_beat_items_found_by_one()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["c", "d", "a"]], 10);

        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Item));
        Assert.Equal((1.0 / 61) + (1.0 / 63), fused[0].Score, 10);
    }

    [Fact]
    public void Ties_keep_first_seen_order_and_top_k_cuts()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["x", "y"], ["y", "x"], ["z"]], 2);

        Assert.Equal(["x", "y"], fused.Select(f => f.Item));
        Assert.Empty(ReciprocalRankFusion.Fuse<string>([[], []], 5));
    }

    [Fact]
    public void Weights_scale_each_rankings_votes()
    {
        var equal = ReciprocalRankFusion.Fuse<string>([["a", "b"], ["b", "a"]], 2);
        var dense = ReciprocalRankFusion.Fuse<string>([["a", "b"], ["b", "a"]], 2, weights: [0.3, 0.7]);

        Assert.Equal(equal[0].Score, equal[1].Score, 10);
        Assert.Equal(["b", "a"], dense.Select(f => f.Item));
        Assert.Equal((0.3 / 62) + (0.7 / 61), dense[0].Score, 10);
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse<string>([["a"], ["b"]], 2, weights: [1.0]));
    }
}
