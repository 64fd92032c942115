namespace Rag.Api.Startup;

/// <summary>Runs the host to a clean exit.</summary>
internal static partial class HostRun
{
    /// <summary>
    /// Runs until the host is told to stop (SIGTERM, Ctrl+C) and returns 0. Work still running when
    /// <c>Rag:ShutdownTimeout</c> runs out is cancelled (ingestion resumes at the next start), and a
    /// component that reports that cancellation as an exception (Hangfire's server) does not turn a
    /// requested stop into a crash.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(this IHost host)
    {
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        // Taken before the run: RunAsync disposes the host's services on its way out.
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rag.Api");
        try
        {
            await host.RunAsync();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            StopCutShort(logger);
        }

        return 0;
    }

    [LoggerMessage(EventId = ApiLogEvents.StopCutShort, Level = LogLevel.Warning,
        Message = "Stopped with work still running after Rag:ShutdownTimeout; unfinished ingestion resumes at the next start")]
    private static partial void StopCutShort(ILogger logger);
}
