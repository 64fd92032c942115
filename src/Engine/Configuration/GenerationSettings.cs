namespace Rag.Engine.Configuration;

/// <summary>The <c>Rag:Generation</c> section: defaults for generated answers (a request may override the numbers).</summary>
public sealed class GenerationSettings
{
    /// <summary>The default prompt: numbered sources, then the question.</summary>
    public const string DefaultPromptTemplate =
        "Answer the question using only the numbered sources below. Cite the sources you use by number, like [1].\n\n"
        + "{sources}\n\nQuestion: {question}\nAnswer:";

    /// <summary>
    /// The prompt, with <c>{sources}</c> (one "[n] text" line per source, numbered as the
    /// citations) and <c>{question}</c>.
    /// </summary>
    public string PromptTemplate { get; set; } = DefaultPromptTemplate;

    /// <summary>Most tokens an answer may generate, unless a request asks for fewer (at most Rag:Limits:MaxOutputTokens).</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>Sampling temperature; 0 decodes greedily.</summary>
    public float Temperature { get; set; }

    /// <summary>Nucleus sampling mass, above 0 and at most 1.</summary>
    public float TopP { get; set; } = 1;

    /// <summary>Generation ends before any of these.</summary>
    public IList<string> Stop { get; } = ["\nQuestion:"];
}
