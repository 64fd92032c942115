using Rag.Retrieval.Vectors;

namespace Rag.Retrieval.Tests.Vectors;

public sealed class ConvexFusionTests
{
    private static readonly (string, double)[] Lexical = [("a", 12.0), ("b", 11.5), ("c", 2.0)];
    private static readonly (string, double)[] Dense = [("c", 0.61), ("b", 0.60), ("d", 0.21)];

    [Fact]
    public void Scores_are_normalised_per_list_and_weighted()
    {
        var fused = ConvexFusion.Fuse(Lexical, Dense, 0.5, 10);

        // b: 0.5 · (11.5 − 2) / 10 + 0.5 · (0.60 − 0.21) / 0.40; a and c each top one list only.
        var b = fused.Single(f => f.Item == "b").Score;
        Assert.Equal((0.5 * 0.95) + (0.5 * 0.975), b, 10);
        Assert.Equal("b", fused[0].Item);
        Assert.Equal(0.5, fused.Single(f => f.Item == "a").Score, 10);
        Assert.Equal(0.0, fused.Single(f => f.Item == "d").Score, 10);
    }

    [Fact]
    public void The_weight_decides_which_list_leads_and_its_ends_are_the_lists_themselves()
    {
        Assert.Equal(["a", "b"], ConvexFusion.Fuse(Lexical, Dense, 0.0, 2).Select(f => f.Item));
        Assert.Equal(["c", "b"], ConvexFusion.Fuse(Lexical, Dense, 1.0, 2).Select(f => f.Item));
        Assert.Equal("b", ConvexFusion.Fuse(Lexical, Dense, 0.9, 1)[0].Item); // near the top of both beats the top of one
    }

    [Fact]
    public void One_empty_list_leaves_the_other_in_its_order_and_bad_weights_are_refused()
    {
        Assert.Equal(["a", "b", "c"], ConvexFusion.Fuse(Lexical, [], 0.7, 5).Select(f => f.Item));
        Assert.Single(ConvexFusion.Fuse([("x", 3.0)], [("x", 0.4)], 0.5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvexFusion.Fuse(Lexical, Dense, 1.5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvexFusion.Fuse(Lexical, Dense, double.NaN, 5));
    }

    [Fact]
    public void A_confident_lexical_list_lowers_the_dense_weight_for_that_query()
    {
        // BM25's best stands far above its second (gap 0.9): with α = 1 the dense weight 0.8 becomes 0 (clamped).
        (string, double)[] lexical = [("id", 10.0), ("x", 1.0), ("y", 0.5)];
        (string, double)[] dense = [("x", 0.70), ("y", 0.69), ("id", 0.30)];

        Assert.Equal("x", ConvexFusion.Fuse(lexical, dense, 0.8, 1)[0].Item);
        Assert.Equal("id", ConvexFusion.Fuse(lexical, dense, 0.8, 1, lexicalGapWeight: 1.0)[0].Item);
        // An unsure BM25 (gap 0.05) barely moves it.
        (string, double)[] flat = [("id", 10.0), ("x", 9.5), ("y", 9.0)];
        Assert.Equal("x", ConvexFusion.Fuse(flat, dense, 0.8, 1, lexicalGapWeight: 1.0)[0].Item);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvexFusion.Fuse(flat, dense, 0.8, 1, lexicalGapWeight: -1));
    }
}
