using System.Xml.Linq;
using Rag.Tests.Shared;

namespace Rag.Retrieval.Tests;

/// <summary>The project graph of ARCHITECTURE.md, read from the project files: every reference points inward.</summary>
public sealed class ArchitectureTests
{
    /// <summary>What each project may reference. A new project must be placed here (and in ARCHITECTURE.md's graph).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        // Shared rules and text tools: nothing below them.
        ["Rag.Contracts"] = [],
        ["Rag.Text"] = [],
        // The cores and their ports.
        ["Rag.Compression"] = ["Rag.Contracts", "Rag.Text"],
        ["Rag.Retrieval"] = ["Rag.Contracts", "Rag.Text"],
        // Storage adapters: the ports they implement, never the engine or each other.
        ["Rag.Storage.Embedded"] = ["Rag.Contracts", "Rag.Retrieval", "Rag.Compression"],
        ["Rag.Storage.Postgres"] = ["Rag.Contracts", "Rag.Retrieval", "Rag.Compression"],
        ["Rag.Storage.Qdrant"] = ["Rag.Contracts", "Rag.Retrieval", "Rag.Compression"],
        // The engine over the ports; the composition root that picks the adapters; the HTTP host.
        ["Rag.Engine"] = ["Rag.Contracts", "Rag.Retrieval", "Rag.Compression"],
        ["Rag.Hosting"] = ["Rag.Engine", "Rag.Storage.Embedded", "Rag.Storage.Postgres", "Rag.Storage.Qdrant"],
        ["Rag.Api"] = ["Rag.Hosting", "Rag.Extensions.AI"],
        // Clients and ecosystem packages: over HTTP, never the engine; their InProcess twins add the composition root.
        ["Rag.Client"] = ["Rag.Contracts"],
        ["Rag.Extensions.AI"] = ["Rag.Client", "Rag.Compression"],
        ["Rag.SemanticKernel"] = ["Rag.Client"],
        ["Rag.Agents"] = ["Rag.Client"],
        ["Rag.SemanticKernel.InProcess"] = ["Rag.SemanticKernel", "Rag.Hosting"],
        ["Rag.Agents.InProcess"] = ["Rag.Agents", "Rag.Hosting"],
    };

    [Fact]
    public void Every_project_reference_points_inward()
    {
        var projects = Directory.GetFiles(Path.Combine(TestFiles.RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), References, StringComparer.Ordinal);

        Assert.True(projects.Count >= Allowed.Count, $"found {projects.Count} projects under src/");
        var unplaced = projects.Keys.Where(p => !Allowed.ContainsKey(p)).ToList();
        Assert.True(unplaced.Count == 0, $"projects not placed in the architecture (add them here and to ARCHITECTURE.md): {string.Join(", ", unplaced)}");
        var outward = projects.SelectMany(p => p.Value.Where(r => !Allowed[p.Key].Contains(r)).Select(r => $"{p.Key} -> {r}")).ToList();
        Assert.True(outward.Count == 0, $"references that point outward: {string.Join(", ", outward)}");
    }

    [Fact]
    public void Adapters_and_cores_do_not_carry_the_model_runtime()
    {
        foreach (var name in new[] { "Text", "Contracts", "Compression", "Retrieval", "Storage.Embedded", "Storage.Postgres", "Storage.Qdrant", "Client" })
        {
            var project = XDocument.Load(Path.Combine(TestFiles.RepositoryRoot(), "src", name, $"Rag.{name}.csproj"));
            var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).ToList();
            Assert.DoesNotContain(packages, p => p is not null && p.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
        }
    }

    private static string[] References(string path) =>
        [.. XDocument.Load(path).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar)))];
}
