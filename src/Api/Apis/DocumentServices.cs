using Rag.Engine.Documents;

namespace Rag.Api.Apis;

/// <summary>What the document endpoints need, bound with [AsParameters].</summary>
public sealed record DocumentServices(DocumentService Documents, IOptions<RagOptions> Options, CancellationToken CancellationToken);
