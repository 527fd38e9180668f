using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// One declaration of a file, rendered as a model should see it: its signature, no body, and its doc summary.
/// <see cref="Start"/> is the declaration node's span start and <see cref="Parent"/> that of the type declaring it
/// (-1 at namespace level): positions rather than nodes, so that a file's declarations outlive its syntax tree.
/// </summary>
internal sealed record Declaration(string Name, string? Container, bool IsType, SourceSpan Range, string Text, int Start, int Parent);

/// <summary>
/// Turns declaration syntax into signature text. Works on syntax alone, so it is the same for symbols that bind
/// and for the repository map built without a semantic model.
/// </summary>
internal static partial class Signatures
{
    private const int MaxSummaryLength = 120;
    private const int MaxFieldLength = 200;

    /// <summary>
    /// How much of an enum's member list its signature carries wherever the enum is offered; at <c>Enum.</c> the
    /// query lists up to <see cref="MaxReceiverEnumLength"/>.
    /// </summary>
    public const int MaxEnumListLength = 400;
    public const int MaxReceiverEnumLength = 4000;

    /// <summary>The declarations of a file: types and their members, in source order.</summary>
    public static IReadOnlyList<Declaration> Collect(SyntaxTree tree, CancellationToken cancellationToken) =>
        DeclarationNodes(tree.GetRoot(cancellationToken)).Select(node => Create(node)!).ToArray();

    /// <summary>
    /// The nodes <see cref="Collect"/> renders, in source order: types, delegates and the members of types. None is
    /// inside a member body, so a tree with its bodies emptied (<see cref="BodylessTree"/>) has the same ones.
    /// </summary>
    public static IEnumerable<SyntaxNode> DeclarationNodes(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax)
            .Where(node => node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
                || node.Parent is BaseTypeDeclarationSyntax && node is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or BaseFieldDeclarationSyntax or EnumMemberDeclarationSyntax);

    /// <summary>The syntax node a symbol's declaring reference stands for, widened to what we render.</summary>
    public static SyntaxNode Widen(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } => field,
        _ => node,
    };

    /// <summary>
    /// The declaration rendered from its syntax; null for nodes that declare nothing we render. Not cached here:
    /// indexing renders each file's declarations once, and queries find a symbol's declarations once per compilation.
    /// </summary>
    public static Declaration? Create(SyntaxNode node)
    {
        node = Widen(node);
        var (name, signatureEnd, suffix, isType) = node switch
        {
            BaseTypeDeclarationSyntax type => (type.Identifier.ValueText, TypeHeaderEnd(type), "", true),
            DelegateDeclarationSyntax d => (d.Identifier.ValueText, d.Span.End, "", true),
            MethodDeclarationSyntax m => (m.Identifier.ValueText, MethodEnd(m), "", false),
            ConstructorDeclarationSyntax c => (c.Identifier.ValueText, MethodEnd(c), "", false),
            DestructorDeclarationSyntax d => (d.Identifier.ValueText, MethodEnd(d), "", false),
            OperatorDeclarationSyntax o => ("operator", MethodEnd(o), "", false),
            ConversionOperatorDeclarationSyntax c => ("operator", MethodEnd(c), "", false),
            PropertyDeclarationSyntax p => (p.Identifier.ValueText, p.Identifier.Span.End, Accessors(p.AccessorList, p.ExpressionBody), false),
            IndexerDeclarationSyntax i => ("this", i.ParameterList.Span.End, Accessors(i.AccessorList, i.ExpressionBody), false),
            EventDeclarationSyntax e => (e.Identifier.ValueText, e.Identifier.Span.End, " { add; remove; }", false),
            BaseFieldDeclarationSyntax f => (string.Join(",", f.Declaration.Variables.Select(v => v.Identifier.ValueText)), FieldEnd(f), ";", false),
            EnumMemberDeclarationSyntax e => (e.Identifier.ValueText, e.Span.End, ",", false),
            _ => (null, 0, "", false),
        };
        if (name is null) return null;

        var text = node.SyntaxTree.GetText();
        int start = SignatureStart(node);
        var signature = new StringBuilder();
        if (Summary(node) is { } summary) signature.Append("/// ").Append(summary).Append('\n');
        AppendCollapsed(signature, text, TextSpan.FromBounds(start, Math.Max(start, signatureEnd)));
        signature.Append(suffix);
        // An enum's members are names: listing them costs little and answers both the type and its members.
        if (node is EnumDeclarationSyntax enumeration) AppendEnumMembers(signature, enumeration.Members.Select(m => m.Identifier.ValueText), MaxEnumListLength);

        // A type's signature claims the whole type; a member claims the lines its signature came from.
        int rangeEnd = isType ? node.Span.End : Math.Max(node.SpanStart, signatureEnd);
        var range = ToSpan(text, TextSpan.FromBounds(node.SpanStart, rangeEnd));
        var parent = node.Parent as BaseTypeDeclarationSyntax;
        string? container = parent is null ? null : Identifiers.Intern(parent.Identifier.ValueText);
        return new Declaration(Identifiers.Intern(name), container, isType, range, signature.ToString(), node.SpanStart, parent?.SpanStart ?? -1);
    }

    /// <summary><c> { A, B, C }</c>, cut with <c>…</c> before <paramref name="maxLength"/> characters.</summary>
    public static void AppendEnumMembers(StringBuilder signature, IEnumerable<string> names, int maxLength)
    {
        var list = new StringBuilder();
        foreach (var name in names)
        {
            if (list.Length + name.Length + 2 > maxLength)
            {
                list.Append(list.Length == 0 ? "…" : ", …");
                break;
            }
            list.Append(list.Length == 0 ? "" : ", ").Append(name);
        }
        if (list.Length > 0) signature.Append(" { ").Append(list).Append(" }");
    }

    /// <summary>Whether an enum's rendering lists every one of its members.</summary>
    public static bool ListsAllMembers(string enumText) => !enumText.EndsWith("… }", StringComparison.Ordinal);

    public static SourceSpan ToSpan(SourceText text, TextSpan span)
    {
        var lines = text.Lines.GetLinePositionSpan(span);
        return new SourceSpan(lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
    }

    private static int SignatureStart(SyntaxNode node) => node is MemberDeclarationSyntax { AttributeLists.Count: > 0 } member
        ? member.AttributeLists.Last().GetLastToken().GetNextToken().SpanStart
        : node.SpanStart;

    private static int TypeHeaderEnd(BaseTypeDeclarationSyntax type) => type.OpenBraceToken.IsMissing || type.OpenBraceToken.Span.Length == 0
        ? type.Span.End
        : type.OpenBraceToken.SpanStart;

    private static int MethodEnd(BaseMethodDeclarationSyntax method)
    {
        if (method is MethodDeclarationSyntax { ConstraintClauses.Count: > 0 } m) return m.ConstraintClauses.Last().Span.End;
        return method.ParameterList.Span.End;
    }

    private static int FieldEnd(BaseFieldDeclarationSyntax field)
    {
        // Long initializers (tables, lambdas) are cut after the names.
        if (field.Span.Length <= MaxFieldLength) return field.SemicolonToken.IsMissing ? field.Span.End : field.SemicolonToken.SpanStart;
        var variables = field.Declaration.Variables;
        return variables.Count == 0 ? field.Declaration.Type.Span.End : variables.Last().Identifier.Span.End;
    }

    private static string Accessors(AccessorListSyntax? accessors, ArrowExpressionClauseSyntax? expressionBody)
    {
        if (accessors is null) return expressionBody is null ? "" : " { get; }";
        var builder = new StringBuilder(" { ");
        foreach (var accessor in accessors.Accessors)
        {
            foreach (var modifier in accessor.Modifiers) builder.Append(modifier.Text).Append(' ');
            builder.Append(accessor.Keyword.Text).Append("; ");
        }
        return builder.Append('}').ToString();
    }

    private static void AppendCollapsed(StringBuilder builder, SourceText text, TextSpan span)
    {
        bool space = false;
        for (int i = span.Start; i < span.End; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && builder.Length > 0 && builder[^1] != '\n') builder.Append(' ');
            space = false;
            builder.Append(c);
        }
    }

    /// <summary>The <c>&lt;summary&gt;</c> of the doc comment above the node, as one line of plain text.</summary>
    public static string? Summary(SyntaxNode node)
    {
        var docLines = new StringBuilder();
        foreach (var trivia in node.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                foreach (var line in trivia.ToFullString().Split('\n'))
                {
                    var trimmed = line.Trim();
                    if (trimmed.StartsWith("///", StringComparison.Ordinal)) docLines.Append(trimmed.AsSpan(3)).Append(' ');
                }
            }
        }
        if (docLines.Length == 0) return null;
        string doc = docLines.ToString();
        var match = SummaryRegex().Match(doc);
        if (!match.Success) return null;
        string summary = TagRegex().Replace(match.Groups[1].Value, m => m.Groups[1].Success ? m.Groups[1].Value.Split('.', ':')[^1] : "");
        summary = WhitespaceRegex().Replace(summary, " ").Trim();
        if (summary.Length == 0) return null;
        return summary.Length <= MaxSummaryLength ? summary : summary[..MaxSummaryLength] + "…";
    }

    /// <summary>
    /// The simple name of the type an extension method's rendering extends (<c>Builder</c> for
    /// <c>this Builder&lt;T&gt; b</c>), or null: found from text, so extensions of types that do not bind are found too.
    /// </summary>
    public static string? ExtendedTypeName(string methodText)
    {
        if (!methodText.Contains("(this ", StringComparison.Ordinal)) return null;
        var match = ExtensionRegex().Match(methodText);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"\(this\s+(?:(?:ref|in|scoped|readonly)\s+)*(?:global::)?(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)")]
    private static partial Regex ExtensionRegex();

    [GeneratedRegex(@"<summary>(.*?)</summary>", RegexOptions.Singleline)]
    private static partial Regex SummaryRegex();

    [GeneratedRegex(@"<[^>]*?(?:cref|name|langword)=""([^""]*)""[^>]*>|<[^>]+>")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
