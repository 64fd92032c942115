namespace Rag.Api.Startup;

/// <summary>
/// The service's own log event ids (the engine's are <see cref="Engine.Diagnostics.LogEvents"/>): 10s
/// start-up, 2000s requests, 3000s jobs. No two alike.
/// </summary>
internal static class ApiLogEvents
{
    public const int AuthenticationOff = 10;
    public const int AuthenticationOn = 11;
    public const int Mode = 12;
    public const int WorkerStarted = 13;
    public const int Admission = 14;
    public const int StopCutShort = 15;
    public const int Ready = 16;
    public const int UnhandledError = 2000;
    public const int RequestAbandoned = 2001;
    public const int StreamFailed = 2100;
    public const int UpstreamFailed = 2200;
    public const int ChatStreamFailed = 2201;
    public const int IngestionGivenUp = 3000;
    public const int IngestionFailedPermanently = 3001;
}
