using Microsoft.Extensions.Options;
using Rag.Contracts;

namespace Rag.Storage.Qdrant;

/// <summary>Checks <see cref="QdrantOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class QdrantOptionsValidator : IValidateOptions<QdrantOptions>
{
    public ValidateOptionsResult Validate(string? name, QdrantOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            failures.Add($"{QdrantOptions.Section}:Url must be an absolute http(s) URL of Qdrant's gRPC endpoint (port {QdrantOptions.GrpcPort}) when Rag:Storage:Vectors or Rag:Storage:SegmentCache is Qdrant; it is '{options.Url}'.");
        else if (options.Endpoint().Port == QdrantOptions.RestPort)
            failures.Add($"{QdrantOptions.Section}:Url names port {QdrantOptions.RestPort}, Qdrant's REST port; Rag talks to Qdrant over gRPC, port {QdrantOptions.GrpcPort} unless Qdrant's service.grpc_port says otherwise (e.g. http://{url.Host}:{QdrantOptions.GrpcPort}).");
        if (!string.IsNullOrEmpty(options.CertificateThumbprint) && url?.Scheme != "https")
            failures.Add($"{QdrantOptions.Section}:CertificateThumbprint is set, but {QdrantOptions.Section}:Url is not https: the thumbprint checks a TLS certificate.");
        OptionRules.Range(failures, $"{QdrantOptions.Section}:MaxAttempts", options.MaxAttempts, 1, 20);
        if (options.Timeout <= TimeSpan.Zero)
            failures.Add($"{QdrantOptions.Section}:Timeout must be above zero; it is {options.Timeout}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
