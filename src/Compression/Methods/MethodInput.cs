using Rag.Compression.Ports;
using Rag.Compression.Text;
using Rag.Text;

namespace Rag.Compression.Methods;

/// <summary>A request as a method sees it.</summary>
/// <param name="Request">The request.</param>
/// <param name="Texts">Each context item's text, keep markup removed.</param>
/// <param name="Words">The words to rank, in order (words of prose, or lines with <see cref="MethodDescription.LineWords"/>).</param>
/// <param name="Languages">Each item's code language, or null.</param>
/// <param name="Question">The question, else the instruction, else empty.</param>
/// <param name="ContextBudget">Tokens the context may keep (the target less instruction, question and separators).</param>
/// <param name="Ranker">Unit relevance for this request, or null.</param>
public sealed record MethodInput(
    CompressionRequest Request,
    IReadOnlyList<string> Texts,
    IReadOnlyList<Word> Words,
    IReadOnlyList<string?> Languages,
    string Question,
    int ContextBudget,
    ISentenceSimilarity? Ranker);
