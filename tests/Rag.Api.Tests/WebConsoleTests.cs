using System.Net;
using System.Text;
using Microsoft.Playwright;

namespace Rag.Api.Tests;

/// <summary>
/// The web console in a real browser (Debian's chromium, driven by Playwright) against the running service:
/// key entry, drag-and-drop upload to ready, chunks, search, a streamed answer whose citation highlights its
/// span, and the compression view. A screenshot of each view is kept under the test output (screenshots/).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class WebConsoleTests(ServiceFixture service) : IAsyncLifetime
{
    /// <summary>Debian's chromium, installed by .ci/run; never a downloaded browser.</summary>
    private const string Chromium = "/usr/bin/chromium";

    private const string Timetable = """
        # Island ferry

        ## Timetable

        The first ferry to Skerry Island leaves pier three at seven fifteen every morning.
        On Sundays the first crossing is at nine, and the last boat back leaves the island at six in the evening.

        ## Tickets

        A return ticket costs nine euros for adults; children under twelve travel free.
        Bicycles ride on the lower deck for two euros each way.
        """;

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly string _profile = Path.Combine(Path.GetTempPath(), "rag-tests", "chromium-" + Guid.NewGuid().ToString("N"));
    private IPlaywright _playwright = null!;
    private IBrowserContext _browser = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"The console tests need Debian's chromium at {Chromium} (apt-get install chromium; .ci/run installs it).");
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }

    private async Task<IPage> OpenAsync(string? key)
    {
        var page = await _browser.NewPageAsync();
        var failures = new List<string>();
        page.PageError += (_, error) => failures.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") failures.Add(message.Text); };
        await page.GotoAsync(new Uri(service.Server.BaseAddress, "/").ToString());
        if (key is not null)
        {
            await page.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        }

        return page;
    }

    [Fact]
    public async Task Upload_by_drop_reaches_ready_and_a_clicked_citation_highlights_exactly_its_quote()
    {
        var page = await OpenAsync(ServiceFixture.TeamAKey);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Key accepted.");
        await page.GetByLabel("Open or create").FillAsync("team-a-console");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#current-collection")).ToHaveTextAsync("Collection: team-a-console");

        // Drag and drop, as a user does: a drop event carrying the file.
        var transfer = await page.EvaluateHandleAsync(
            "text => { const t = new DataTransfer(); t.items.add(new File([text], 'island-ferry.md', { type: 'text/markdown' })); return t; }", Timetable);
        await page.Locator("#drop-zone").DispatchEventAsync("drop", new { dataTransfer = transfer });
        var row = page.Locator("#documents tbody tr", new() { HasText = "island-ferry.md" });
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ready"), new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator("progress")).ToHaveAttributeAsync("value", "1");

        await row.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("#chunks li").First).ToContainTextAsync("ferry");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "documents.png"), FullPage = true });

        await page.GetByRole(AriaRole.Tab, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Query").FillAsync("first ferry Sunday");
        await page.GetByLabel("Mode").SelectOptionAsync("lexical");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-figures")).ToContainTextAsync("lexical search");
        await Assertions.Expect(page.Locator("#search-results li").First).ToContainTextAsync("score");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "search.png"), FullPage = true });

        await page.GetByRole(AriaRole.Tab, new() { Name = "Ask" }).ClickAsync();
        await page.GetByLabel("Question", new() { Exact = true }).FillAsync("When does the first ferry leave on Sundays?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
        var citation = page.Locator("#citations li").First;
        await Assertions.Expect(citation).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#answer")).ToContainTextAsync("[1]");
        var quote = await citation.Locator("q").TextContentAsync();

        // The answer's own [1] opens the source with exactly the quoted span marked.
        await page.Locator("#answer button.cite").First.ClickAsync();
        var marked = page.Locator("#source-text mark.cited");
        await Assertions.Expect(marked).ToBeVisibleAsync();
        Assert.Equal(quote, await marked.TextContentAsync());
        Assert.Contains(quote!, Timetable.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        await Assertions.Expect(marked).ToBeFocusedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "ask.png"), FullPage = true });
    }

    [Fact]
    public async Task Several_files_dropped_at_once_go_up_as_one_batch_and_a_refused_one_says_why()
    {
        var page = await OpenAsync(ServiceFixture.TeamAKey);
        await page.GetByLabel("Open or create").FillAsync("team-a-console");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        var batches = new List<string>();
        page.Request += (_, request) => { if (request.Url.EndsWith("/documents:batch", StringComparison.Ordinal)) batches.Add(request.Method); };

        var transfer = await page.EvaluateHandleAsync("""
            () => {
              const t = new DataTransfer();
              t.items.add(new File(['# Piers\n\nThe north pier is the oldest, built of granite in 1790.'], 'piers.md', { type: 'text/markdown' }));
              t.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'chart.png', { type: 'image/png' }));
              return t;
            }
            """);
        await page.Locator("#drop-zone").DispatchEventAsync("drop", new { dataTransfer = transfer });

        var refused = page.Locator("#documents tbody tr", new() { HasText = "chart.png" });
        await Assertions.Expect(refused).ToContainTextAsync("rejected");
        await Assertions.Expect(refused.Locator(".reason")).ToContainTextAsync("not a supported document type");
        var accepted = page.Locator("#documents tbody tr", new() { HasText = "piers.md" });
        await Assertions.Expect(accepted.Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ready"), new() { Timeout = 60_000 });
        Assert.Equal(["POST"], batches);
    }

    [Fact]
    public async Task The_compression_view_shows_the_kept_and_dropped_text_of_the_original_with_the_figures()
    {
        var page = await OpenAsync(ServiceFixture.TeamAKey);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Compress" }).ClickAsync();
        var original = Timetable.Replace("\r\n", "\n", StringComparison.Ordinal);
        await page.GetByLabel("Text to compress").FillAsync(original);
        await page.GetByLabel("Question it must answer").FillAsync("How much is a return ticket?");
        await page.GetByLabel("Method").SelectOptionAsync("coarse_to_fine");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compress", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#compress-figures")).ToContainTextAsync("coarse_to_fine:");
        var kept = await page.Locator("#compress-original mark.kept").AllTextContentsAsync();
        var dropped = await page.Locator("#compress-original .dropped").AllTextContentsAsync();
        Assert.NotEmpty(kept);
        Assert.NotEmpty(dropped);
        Assert.Contains(kept, k => k.Contains("nine euros", StringComparison.Ordinal));
        // Kept and dropped together are the original, in order.
        Assert.Equal(original.Trim(), (await page.Locator("#compress-original").TextContentAsync())!.Trim());
        Assert.Contains("nine euros", await page.Locator("#compress-output").TextContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "compress.png"), FullPage = true });
    }

    [Fact]
    public async Task A_wrong_key_is_told_plainly_and_the_console_loads_nothing_from_elsewhere()
    {
        var external = new List<string>();
        var page = await _browser.NewPageAsync();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(service.Server.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                external.Add(request.Url);
        };
        await page.GotoAsync(new Uri(service.Server.BaseAddress, "/").ToString());
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync("not-a-key-0123456789abcdef");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("The service wants an API key: enter one above.");
        await Assertions.Expect(page.Locator("#status")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("error"));
        Assert.Empty(external);

        using var http = service.Server.Client(null);
        var index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("default-src 'none'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
