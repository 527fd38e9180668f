using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Features.Actions;

/// <summary>
/// What a selection in C# points at, from syntax alone: the member at the cursor (code actions on an empty range), the
/// members a selection covers (documentation, tests), and how to name them.
/// </summary>
public static class CodeTargets
{
    internal static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Parse);

    internal static SyntaxTree Parse(string text) => CSharpSyntaxTree.ParseText(text, ParseOptions);

    /// <summary>The span (UTF-16 offsets) of the innermost member or type declaration at <paramref name="offset"/> of C# text; null outside any.</summary>
    public static (int Start, int End)? MemberAt(string text, int offset)
    {
        var root = Parse(text).GetRoot();
        return Innermost(root, Math.Clamp(offset, 0, text.Length)) is { } member ? (member.SpanStart, member.Span.End) : null;
    }

    internal static MemberDeclarationSyntax? Innermost(SyntaxNode root, int offset)
    {
        if (root.FullSpan.Length == 0) return null;
        var token = root.FindToken(Math.Min(offset, root.FullSpan.End - 1));
        return token.Parent?.AncestorsAndSelf().OfType<MemberDeclarationSyntax>()
            .FirstOrDefault(m => IsDocumentable(m) && m.Span.Start <= offset && offset <= m.Span.End);
    }

    /// <summary>
    /// The members a selection points at: every one whose declaration line it touches (selecting a class takes the class
    /// and all its members), else the innermost one around it (a selection inside a body means that member).
    /// </summary>
    internal static IReadOnlyList<MemberDeclarationSyntax> MembersIn(SyntaxNode root, TextSpan selection)
    {
        var heads = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax or EnumDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(m => IsDocumentable(m) && Head(m).IntersectsWith(selection))
            .ToArray();
        if (heads.Length > 0) return heads;
        return Innermost(root, selection.Start) is { } around ? [around] : [];
    }

    /// <summary>From the member's first token to the end of its name: what a user selects to mean the member itself.</summary>
    private static TextSpan Head(MemberDeclarationSyntax member) => TextSpan.FromBounds(member.SpanStart, Math.Max(member.SpanStart + 1, NameToken(member).Span.End));

    internal static bool IsDocumentable(MemberDeclarationSyntax member) =>
        member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax
            or BaseFieldDeclarationSyntax or EnumMemberDeclarationSyntax;

    private static SyntaxToken NameToken(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier,
        DelegateDeclarationSyntax d => d.Identifier,
        MethodDeclarationSyntax m => m.Identifier,
        ConstructorDeclarationSyntax c => c.Identifier,
        DestructorDeclarationSyntax d => d.Identifier,
        OperatorDeclarationSyntax o => o.OperatorToken,
        ConversionOperatorDeclarationSyntax c => c.Type.GetLastToken(),
        PropertyDeclarationSyntax p => p.Identifier,
        IndexerDeclarationSyntax i => i.ThisKeyword,
        EventDeclarationSyntax e => e.Identifier,
        BaseFieldDeclarationSyntax f => f.Declaration.Variables.Last().Identifier,
        EnumMemberDeclarationSyntax e => e.Identifier,
        _ => member.GetFirstToken(),
    };

    /// <summary>How a member is named to people: <c>LendingService.Lend(Member, BookCopy)</c>.</summary>
    internal static string DisplayName(MemberDeclarationSyntax member)
    {
        string name = member switch
        {
            BaseFieldDeclarationSyntax field => string.Join(", ", field.Declaration.Variables.Select(v => v.Identifier.ValueText)),
            IndexerDeclarationSyntax => "this[]",
            _ => NameToken(member).ValueText,
        };
        var parameters = member switch
        {
            BaseMethodDeclarationSyntax method => method.ParameterList.Parameters,
            DelegateDeclarationSyntax d => d.ParameterList.Parameters,
            _ => default(SeparatedSyntaxList<ParameterSyntax>?),
        };
        if (parameters is { } list) name += "(" + string.Join(", ", list.Select(p => p.Type?.ToString() ?? p.Identifier.ValueText)) + ")";
        var containers = member.Ancestors().OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.ValueText).Reverse();
        return string.Join(".", containers.Append(name));
    }

    /// <summary>"method", "property", "class", … for prompts.</summary>
    internal static string KindName(MemberDeclarationSyntax member) => member switch
    {
        ClassDeclarationSyntax => "class",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        EnumDeclarationSyntax => "enum",
        DelegateDeclarationSyntax => "delegate",
        ConstructorDeclarationSyntax => "constructor",
        MethodDeclarationSyntax => "method",
        OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "operator",
        PropertyDeclarationSyntax => "property",
        IndexerDeclarationSyntax => "indexer",
        EventDeclarationSyntax or EventFieldDeclarationSyntax => "event",
        BaseFieldDeclarationSyntax => "field",
        EnumMemberDeclarationSyntax => "enum member",
        _ => "member",
    };

    /// <summary>The nearest type declaration a member is or sits in.</summary>
    internal static BaseTypeDeclarationSyntax? TypeOf(MemberDeclarationSyntax member) =>
        member as BaseTypeDeclarationSyntax ?? member.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();

    /// <summary>
    /// What a prompt shows of a member: its text, or for a type too long to show whole its header and its members'
    /// declarations without bodies.
    /// </summary>
    internal static string Shown(MemberDeclarationSyntax member, int maxCharacters)
    {
        string whole = member.ToString();
        if (whole.Length <= maxCharacters || member is not TypeDeclarationSyntax type) return whole.Length <= maxCharacters ? whole : whole[..maxCharacters] + "\n// … (cut)";
        var outline = new System.Text.StringBuilder();
        outline.Append(type.ToString()[..(type.OpenBraceToken.SpanStart - type.SpanStart)].TrimEnd()).Append("\n{\n");
        foreach (var child in type.Members)
        {
            string head = child switch
            {
                BaseMethodDeclarationSyntax { Body: { } body } method => method.ToString()[..(body.SpanStart - method.SpanStart)].TrimEnd() + ";",
                BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } method => method.ToString()[..(arrow.SpanStart - method.SpanStart)].TrimEnd() + ";",
                TypeDeclarationSyntax nested => nested.ToString()[..(nested.OpenBraceToken.SpanStart - nested.SpanStart)].TrimEnd() + " { … }",
                _ => child.ToString(),
            };
            outline.Append("    ").Append(head.Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
            if (outline.Length > maxCharacters) break;
        }
        return outline.Append('}').ToString();
    }
}
