using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Rag.Engine.Models.BuiltIn;

/// <summary>
/// Reads the manifest resources of a .NET assembly file as byte ranges of the file, through its PE
/// headers and metadata — without loading the assembly, so none of its code (or its dependencies)
/// ever enters the process.
/// </summary>
internal static class ManifestResources
{
    /// <summary>The names of the embedded resources of <paramref name="assemblyPath"/>, with their byte range in the file.</summary>
    public static IReadOnlyDictionary<string, (long Offset, long Length)> List(string assemblyPath)
    {
        using var file = File.OpenRead(assemblyPath);
        using var pe = new PEReader(file, PEStreamOptions.LeaveOpen);
        var corHeader = pe.PEHeaders.CorHeader
            ?? throw new ModelLoadException($"{assemblyPath} is not a .NET assembly.");
        var directory = corHeader.ResourcesDirectory;
        if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var resourcesStart))
            throw new ModelLoadException($"{assemblyPath} has no resources section.");
        var metadata = pe.GetMetadataReader();
        var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        Span<byte> length = stackalloc byte[4];
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil)
                continue; // lives in another file or assembly
            var at = resourcesStart + resource.Offset;
            file.Position = at;
            file.ReadExactly(length);
            var size = BitConverter.ToUInt32(length);
            if (at + 4 + size > file.Length)
                throw new ModelLoadException($"{assemblyPath}: resource {metadata.GetString(resource.Name)} runs past the end of the file.");
            result[metadata.GetString(resource.Name)] = (at + 4, size);
        }

        return result;
    }

    /// <summary>Opens the resource's bytes as a read-only stream over the file.</summary>
    public static Stream Open(string assemblyPath, (long Offset, long Length) range)
    {
        var file = new FileStream(assemblyPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        file.Position = range.Offset;
        return new Slice(file, range.Length);
    }

    /// <summary>A read-only window of <paramref name="length"/> bytes from the inner stream's position.</summary>
    private sealed class Slice(Stream inner, long length) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var want = (int)Math.Min(buffer.Length, length - _read);
            if (want <= 0)
                return 0;
            var got = inner.Read(buffer[..want]);
            _read += got;
            return got;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
