using Rag.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRagApi();

var app = builder.Build();
app.MapRagApi();
app.Run();

/// <summary>The service's entry point; public so tests can locate the assembly.</summary>
public partial class Program;
