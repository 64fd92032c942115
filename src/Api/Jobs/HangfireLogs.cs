using HangfireLogLevel = Hangfire.Logging.LogLevel;
using IHangfireLog = Hangfire.Logging.ILog;
using IHangfireLogProvider = Hangfire.Logging.ILogProvider;

namespace Rag.Api.Jobs;

/// <summary>
/// Hangfire logs through one process-wide provider. This one writes to the logs of a service still running in the
/// process (the latest started): Hangfire's own provider keeps the logger factory of whichever service configured it
/// last and throws once that service is disposed — with two services in one process (the in-process tests, an
/// application hosting Rag twice) the other's job server would then fail on every log line.
/// </summary>
internal sealed class HangfireLogs : IHangfireLogProvider
{
    public static readonly HangfireLogs Shared = new();

    private readonly List<ILoggerFactory> _running = [];

    private HangfireLogs()
    {
    }

    /// <summary>Makes this the provider Hangfire uses (again: Hangfire's set-up puts its own in place each time it runs).</summary>
    public static void Install() => Hangfire.Logging.LogProvider.SetCurrentLogProvider(Shared);

    /// <summary>Sends Hangfire's logs to <paramref name="factory"/> until the result is disposed (with its service).</summary>
    public Attachment Attach(ILoggerFactory factory)
    {
        lock (_running)
            _running.Add(factory);
        return new Attachment(this, factory);
    }

    public IHangfireLog GetLogger(string name) => new Logger(this, name);

    private ILoggerFactory? Current
    {
        get
        {
            lock (_running)
                return _running.Count == 0 ? null : _running[^1];
        }
    }

    /// <summary>One service's logs receiving Hangfire's, until disposed.</summary>
    public sealed class Attachment(HangfireLogs logs, ILoggerFactory factory) : IDisposable
    {
        public void Dispose()
        {
            lock (logs._running)
                logs._running.Remove(factory);
        }
    }

    private sealed class Logger(HangfireLogs logs, string name) : IHangfireLog
    {
        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILogger logger;
            try
            {
                if (logs.Current is not { } factory)
                    return false;
                logger = factory.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false; // the service stopped between the two lines above
            }

            var level = logLevel switch
            {
                HangfireLogLevel.Trace => LogLevel.Trace,
                HangfireLogLevel.Debug => LogLevel.Debug,
                HangfireLogLevel.Info => LogLevel.Information,
                HangfireLogLevel.Warn => LogLevel.Warning,
                HangfireLogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null)
                return logger.IsEnabled(level);
            if (logger.IsEnabled(level))
#pragma warning disable CA1848, CA2254 // Hangfire's messages are its own, already formatted
                logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
            return true;
        }
    }
}
