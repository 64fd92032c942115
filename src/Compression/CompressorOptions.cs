namespace Rag.Compression;

/// <summary>The <c>Rag:Compression</c> section.</summary>
public sealed class CompressorOptions
{
    /// <summary>Tokens (budget tokenizer) per segment of the segment method. CompLLM's segments are about 20 tokens; token pruning needs a little context to judge surprise, so ours are longer.</summary>
    public int SegmentTokens { get; set; } = 128;

    /// <summary>LongCodeZip's β: how much a function's relevance moves its share of the fine budget.</summary>
    public double LongCodeZipBeta { get; set; } = 0.5;

    /// <summary>LongCodeZip's fine-stage keep ratio inside kept functions (the coarse stage keeps budget / this).</summary>
    public double LongCodeZipFineRatio { get; set; } = 0.5;

    /// <summary>
    /// LongCodeZip's coarse ranking puts the functions the question names, then the functions those
    /// call, ahead of the AMI order (default true). Our addition: a small scorer model ranks by AMI
    /// poorly; naming and calling are facts of the code. False: the paper's AMI order alone.
    /// </summary>
    public bool LongCodeZipStructurePrior { get; set; } = true;

    /// <summary>
    /// GemFilter keeps whole sentences: a sentence ranks by its words' mean smoothed score, sentences
    /// are kept best first and the last that fits is cut word by word — readable output, more whole
    /// evidence sentences, fewer needles. False (the default): the best words wherever they are, as
    /// the paper keeps tokens.
    /// </summary>
    public bool GemFilterSentences { get; set; }

    /// <summary>
    /// Coarse-to-fine ranks twice: after the first ranking, the question together with its best sentence
    /// is embedded and ranked against every sentence again, and a sentence keeps the better of its two
    /// scores — a second hop for questions whose second fact shares nothing with the question but names
    /// what the first fact found (HotpotQA's bridge questions). Off by default: it measured within a question
    /// of the single ranking (HotpotQA both facts 90% against 89%, SQuAD and NQ equal) and costs one more
    /// question embedding (~20 ms here) per compression.
    /// </summary>
    public bool SecondHop { get; set; }

    /// <summary>GemFilter's moving-average width.</summary>
    public int GemFilterSmoothing { get; set; } = 5;
}
