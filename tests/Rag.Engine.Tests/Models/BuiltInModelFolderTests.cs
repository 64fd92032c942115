using Rag.Engine.Models.BuiltIn;

namespace Rag.Engine.Tests.Models;

public sealed class BuiltInModelFolderTests : IDisposable
{
    private static readonly BuiltInEncoder MiniLm = BuiltInEncoders.Find(BuiltInEncoders.AllMiniLmL6V2)!;
    private readonly string _root = Directory.CreateTempSubdirectory("rag-builtin-").FullName;

    [Fact]
    public void First_use_writes_the_folder_from_the_package_resources()
    {
        var folder = BuiltInModelFolders.Ensure(MiniLm, _root);

        Assert.Equal(Path.Combine(_root, "all-minilm-l6-v2"), folder);
        Assert.Empty(BuiltInModelFolders.Damaged(MiniLm, folder));
        Assert.Equal(90_893_304, new FileInfo(Path.Combine(folder, "model.onnx")).Length);
        Assert.Contains("\"pooling\": \"mean\"", File.ReadAllText(Path.Combine(folder, "config.json")), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(folder, "*.tmp"));
    }

    [Fact]
    public void A_damaged_file_is_found_and_written_again()
    {
        var folder = BuiltInModelFolders.Ensure(MiniLm, _root);
        var model = Path.Combine(folder, "model.onnx");
        using (var stream = new FileStream(model, FileMode.Open))
        {
            stream.Position = 1 << 20;
            stream.WriteByte(0x5A); // one flipped byte, same length
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        Assert.Equal(["model.onnx", "config.json"], BuiltInModelFolders.Damaged(MiniLm, folder));

        BuiltInModelFolders.Ensure(MiniLm, _root);

        Assert.Empty(BuiltInModelFolders.Damaged(MiniLm, folder));
    }

    [Fact]
    public async Task Starts_at_the_same_time_end_with_one_good_folder()
    {
        // Each caller opens its own lock file handle, as separate processes do (the Api tests start processes).
        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() => BuiltInModelFolders.Ensure(MiniLm, _root))).ToList();
        var folders = await Task.WhenAll(starts);

        Assert.Single(folders.Distinct());
        Assert.Empty(BuiltInModelFolders.Damaged(MiniLm, folders[0]));
        Assert.Empty(Directory.EnumerateFiles(folders[0], "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_missing_package_assembly_says_where_it_was_looked_for()
    {
        var error = Assert.Throws<Rag.Engine.Models.ModelLoadException>(
            () => BuiltInModelFolders.Ensure(MiniLm, _root, Path.Combine(_root, "nowhere.dll"), CancellationToken.None));

        Assert.Contains("nowhere.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rag:Models:Embedder:Path", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
