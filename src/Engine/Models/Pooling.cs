namespace Rag.Engine.Models;

/// <summary>How an encoder turns its token states into one vector.</summary>
public enum Pooling
{
    /// <summary>The mean of the real tokens' states (sentence-transformers' default; all-MiniLM-L6-v2).</summary>
    Mean,

    /// <summary>The first ([CLS]) token's state (snowflake-arctic-embed, BGE).</summary>
    Cls,
}
