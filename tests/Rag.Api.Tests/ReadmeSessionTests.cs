using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Rag.Api.Tests;

/// <summary>The README's curl session, run as written against a fresh service on the default embedded setup.</summary>
[Trait("Tier", "Process")]
public sealed partial class ReadmeSessionTests
{
    [Fact]
    public async Task The_readme_curl_session_works_as_written()
    {
        var root = Rag.Tests.Shared.TestFiles.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var session = Session().Match(readme);
        Assert.True(session.Success, "README.md has a session between the readme-session markers");
        await using var server = await RagServer.StartAsync();
        // The README talks to the default port; this service listens on a free one.
        var script = session.Groups[1].Value.Replace("http://127.0.0.1:8080", server.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal);

        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var text = await output;
        Assert.True(bash.ExitCode == 0, $"exit {bash.ExitCode}\n{text}\n{await errors}");
        Assert.Contains("\"state\":\"ready\"", text, StringComparison.Ordinal);
        Assert.Contains("\"quote\":\"The lighthouse was built in 1854 by the harbour board.\"", text, StringComparison.Ordinal);
    }


    [GeneratedRegex(@"<!-- readme-session:start -->\s*```bash\n(.*?)```\s*<!-- readme-session:end -->", RegexOptions.Singleline)]
    private static partial Regex Session();
}
