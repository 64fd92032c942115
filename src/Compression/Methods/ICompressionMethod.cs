namespace Rag.Compression.Methods;

/// <summary>
/// One compression method: how it ranks the units of a context. The compressor does the rest for every
/// method alike (units, the budget, assembly, kept spans). A method is this class plus one line in
/// <see cref="CompressionMethods"/>; its constructor takes <see cref="MethodServices"/> and does no work.
/// </summary>
public interface ICompressionMethod
{
    /// <summary>Its name, summary and needs.</summary>
    MethodDescription Description { get; }

    /// <summary>Whether it can run with the models this service has (model-based methods need the scorer).</summary>
    bool IsAvailable { get; }

    /// <summary>Ranks the units: higher priority is kept first, optionally with a first choice the budget then trims or fills.</summary>
    /// <param name="input">The request and its units.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<WordChoice> ChooseAsync(MethodInput input, CancellationToken cancellationToken);
}
