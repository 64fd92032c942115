using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rag.Retrieval.Chunking;

/// <summary>
/// Cuts C# with Roslyn: namespaces into types, types into members. A member's block includes its
/// leading comments and attributes (its full span), so documentation stays with the code.
/// </summary>
internal static class CSharpStructure
{
    public static List<Block> Split(string text, CancellationToken cancellationToken)
    {
        var root = CSharpSyntaxTree.ParseText(text, cancellationToken: cancellationToken).GetCompilationUnitRoot(cancellationToken);
        return Members(root.Members, 0, text.Length, prefix: null);
    }

    private static List<Block> Members(SyntaxList<MemberDeclarationSyntax> members, int start, int end, string? prefix) =>
        Block.Cover(start, end, members.Select(member =>
            (member.FullSpan.Start, (Func<int, int, Block>)((s, e) => MemberBlock(member, s, e, prefix)))));

    private static Block MemberBlock(MemberDeclarationSyntax member, int start, int end, string? prefix)
    {
        var name = Qualify(prefix, Name(member));
        var children = member switch
        {
            BaseNamespaceDeclarationSyntax ns when ns.Members.Count > 0 => Members(ns.Members, start, end, name),
            TypeDeclarationSyntax type when type.Members.Count > 0 => Members(type.Members, start, end, name),
            _ => [],
        };
        return new Block(start, end, name, children);
    }

    private static string? Qualify(string? prefix, string? name) =>
        name is null ? prefix : prefix is null ? name : $"{prefix}.{name}";

    private static string? Name(MemberDeclarationSyntax member) => member switch
    {
        BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
        BaseTypeDeclarationSyntax type => type.Identifier.Text,
        DelegateDeclarationSyntax d => d.Identifier.Text,
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text,
        PropertyDeclarationSyntax p => p.Identifier.Text,
        EventDeclarationSyntax ev => ev.Identifier.Text,
        FieldDeclarationSyntax f => string.Join(", ", f.Declaration.Variables.Select(v => v.Identifier.Text)),
        OperatorDeclarationSyntax o => $"operator {o.OperatorToken.Text}",
        IndexerDeclarationSyntax => "this[]",
        _ => null,
    };
}
