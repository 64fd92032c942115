[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Rag.Compression.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Rag.Engine.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Rag.Bench")]
