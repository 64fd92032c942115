namespace Rag.Api.Hosting;

/// <summary>What the service says about itself at start.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "No API keys are configured (Auth:ApiKeys): authentication is off, so Rag listens on loopback only ({Urls}). Configure API keys to serve other machines.")]
    public static partial void AuthenticationOff(ILogger logger, string urls);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "API keys configured: {Count}; data folder: {DataPath}")]
    public static partial void AuthenticationOn(ILogger logger, int count, string dataPath);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information,
        Message = "Answers: {Answers}. Search: {Search}. Storage: embedded (SQLite + Lucene.Net + vector files) in {DataPath}")]
    public static partial void Mode(ILogger logger, string answers, string search, string dataPath);
}
