// A Semantic Kernel app using Rag through its plugin.
//
//   dotnet run --project samples/KernelSample                                   # Rag in this process
//   dotnet run --project samples/KernelSample -- --service http://127.0.0.1:8080 [--key KEY]
//
// It adds a Markdown file to a collection, then calls the plugin's functions through the kernel —
// the way a model calls them with automatic function calling — and prints what they return.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Rag.SemanticKernel;

var service = Option("--service");
var file = Option("--file") ?? Path.Combine(AppContext.BaseDirectory, "harbour.md");
var options = new RagPluginOptions { DefaultCollection = "sample" };

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (service is null)
{
    // In process: the whole pipeline in this app, data under ./rag-data.
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Rag:DataPath"] = Path.GetFullPath("rag-data") });
    builder.Services.AddRagInProcessBackend(builder.Configuration, options);
}
else
{
    builder.Services.AddRagHttpBackend(new Uri(service), Option("--key"), options);
}

builder.Services.AddKernel().Plugins.AddRag();
using var host = builder.Build();
await host.StartAsync();
var kernel = host.Services.GetRequiredService<Kernel>();

Console.WriteLine($"Rag {(service is null ? "in process" : "at " + service)}; functions: {string.Join(", ", kernel.Plugins["rag"].Select(f => f.Name))}");

var ingested = await kernel.InvokeAsync("rag", "ingest", new() { ["text"] = await File.ReadAllTextAsync(file), ["title"] = Path.GetFileName(file) });
Console.WriteLine($"ingest   -> {Show(ingested)}");

var answer = await kernel.InvokeAsync("rag", "ask", new() { ["question"] = "When was the lighthouse built?" });
Console.WriteLine($"ask      -> {Show(answer)}");

var search = await kernel.InvokeAsync("rag", "search", new() { ["query"] = "ferry timetable", ["topK"] = 2 });
Console.WriteLine($"search   -> {Show(search)}");

var compressed = await kernel.InvokeAsync("rag", "compress", new() { ["text"] = await File.ReadAllTextAsync(file), ["rate"] = 0.3 });
Console.WriteLine($"compress -> {Show(compressed)}");

await host.StopAsync();
return;

// What the model would see: the function's result as JSON.
static string Show(FunctionResult result) => System.Text.Json.JsonSerializer.Serialize(result.GetValue<object>());

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
