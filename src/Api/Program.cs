
var startup = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args.SkipWhile(a => a == "healthcheck").ToArray()).Build();

// `Rag.Api healthcheck`: the container health probe (asks /healthz of this machine's service).
if (args is ["healthcheck", ..])
    return await HealthProbe.RunAsync(startup);

// --role api|worker|all (default all); also Rag:Role in configuration (Rag__Role in the environment).
var role = ServiceRoles.From(startup);
if (role == ServiceRole.Worker)
{
    // A worker serves nothing: a generic host with the engine and the job server.
    var worker = Host.CreateApplicationBuilder(args);
    worker.AddRagCore(role);
    var host = worker.Build();
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(host.Services.LogWorkerStart);
    return await host.RunUntilStoppedAsync();
}

// The console's files sit beside the application (copied at build and publish), wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });
builder.AddRagApi(role);

var app = builder.Build();
app.MapRagApi(role);
return await app.RunUntilStoppedAsync();

/// <summary>The service's entry point; public so tests can locate the assembly.</summary>
public partial class Program;
