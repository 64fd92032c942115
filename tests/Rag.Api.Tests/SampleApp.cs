using System.Diagnostics;

namespace Rag.Api.Tests;

/// <summary>Runs a sample app of samples/ (built with the solution, in this test assembly's configuration) in a fresh folder.</summary>
internal static class SampleApp
{
    /// <summary>Runs <c>samples/{name}</c> to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string name)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var sample = Path.Combine(Rag.Tests.Shared.TestFiles.RepositoryRoot(), "samples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(sample), $"{sample} is missing: build the solution.");
        var folder = RagServer.NewDataPath();
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(sample);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
