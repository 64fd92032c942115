using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Rag.Engine.Models;

/// <summary>What every model folder has: config.json, a tokenizer and model.onnx, checked on open.</summary>
internal static class ModelFolder
{
    /// <summary>
    /// Opens the folder's config, tokenizer and model session and runs <paramref name="check"/> on the
    /// session (disposing it if the check fails). <paramref name="role"/> names the folder in errors.
    /// </summary>
    public static (ModelConfig Config, Tokenizer Tokenizer, InferenceSession Session) Open(
        string folder, string role, OnnxSessions sessions, Action<InferenceSession, ModelConfig, string> check)
    {
        if (!Directory.Exists(folder))
            throw new ModelLoadException($"{role} folder {folder} does not exist.");
        var config = ModelConfig.Load(folder);
        var tokenizer = ModelTokenizers.Load(folder, config);
        var path = Path.Combine(folder, "model.onnx");
        var session = sessions.Open(path);
        try
        {
            check(session, config, path);
            return (config, tokenizer, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
