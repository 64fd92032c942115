using Rag.Api.Hosting;

// --role api|worker|all (default all); also Rag:Role in configuration (Rag__Role in the environment).
var role = ServiceRoles.From(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build());
if (role == ServiceRole.Worker)
{
    // A worker serves nothing: a generic host with the engine and the job server.
    var worker = Host.CreateApplicationBuilder(args);
    worker.AddRagCore(role);
    var host = worker.Build();
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(host.Services.LogWorkerStart);
    host.Run();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddRagApi(role);

var app = builder.Build();
app.MapRagApi(role);
app.Run();

/// <summary>The service's entry point; public so tests can locate the assembly.</summary>
public partial class Program;
