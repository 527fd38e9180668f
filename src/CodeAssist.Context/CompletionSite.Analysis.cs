using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// Reading a completion site off a document: the syntax tree says where the cursor is and how many lines fit (the
/// tree of the client's current text, so a half-typed line counts as typed), the semantic model says which names can
/// follow a dot or <c>new</c>. Files other than C# are read by their indentation alone.
/// </summary>
public sealed partial record CompletionSite
{
    /// <param name="documentText">The client's text, whose indentation and line breaks <paramref name="text"/> (a sketch or a
    /// graft of it around the cursor) may not show.</param>
    internal static CompletionSite Analyze(WorkspaceSnapshot snapshot, SourceDocument document, SourceText text, int position,
        SourceText documentText, Action<string> log, CancellationToken cancellationToken)
    {
        var (lineIndentation, indentUnit, newLine) = (Indentation.OfLine(text, position), Indentation.UnitOf(documentText), Indentation.NewLineOf(documentText));
        if (document.Tree is not { } tree)
            return new CompletionSite(false, SitePlace.Code, StringKind.None, IsMultiLineByIndentation(text, position), lineIndentation, indentUnit, newLine, null);

        var root = tree.GetRoot(cancellationToken);
        var (place, stringKind) = PlaceOf(root, position);
        bool isMultiLine = place == SitePlace.Code && IsMultiLineBySyntax(root, text, position);
        NameChoice? names = null;
        if (place == SitePlace.Code)
        {
            try
            {
                names = NamesAt(snapshot, document, root, position, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
            {
                // A Roslyn failure on this text costs the names, not the answer: the syntax-derived parts still hold.
                log($"completion site names failed at {document.Path}:{text.Lines.GetLinePosition(position)}: {exception}");
            }
        }
        return new CompletionSite(true, place, stringKind, isMultiLine, lineIndentation, indentUnit, newLine, names);
    }

    private static (SitePlace, StringKind) PlaceOf(SyntaxNode root, int position)
    {
        foreach (var trivia in new[] { root.FindTrivia(position), position > 0 ? root.FindTrivia(position - 1) : default })
        {
            if (TriviaPlace(trivia, position) is { } triviaPlace) return (triviaPlace, StringKind.None);
        }
        var token = root.FindToken(position);
        foreach (var candidate in new[] { token, token.GetPreviousToken() })
        {
            if (LiteralPlace(candidate, position) is { } literal) return literal;
        }
        return (SitePlace.Code, StringKind.None);
    }

    private static SitePlace? TriviaPlace(SyntaxTrivia trivia, int position)
    {
        var span = trivia.Span;
        if (span.IsEmpty || position <= span.Start || position > span.End) return null;
        bool atEnd = position == span.End;
        switch (trivia.Kind())
        {
            case SyntaxKind.SingleLineCommentTrivia or SyntaxKind.SingleLineDocumentationCommentTrivia:
                return SitePlace.Comment; // runs to the end of the line: typing at its end continues it
            case SyntaxKind.MultiLineCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia:
                return !atEnd || !trivia.ToString().EndsWith("*/", StringComparison.Ordinal) ? SitePlace.Comment : null;
            case SyntaxKind.DisabledTextTrivia:
                return atEnd ? null : SitePlace.Comment;
            default:
                return trivia.IsDirective ? SitePlace.Preprocessor : null;
        }
    }

    private static (SitePlace, StringKind)? LiteralPlace(SyntaxToken token, int position)
    {
        var span = token.Span;
        bool inside = span.Start < position && position < span.End;
        bool atOpenEnd = position == span.End && !span.IsEmpty && IsUnterminated(token);
        switch (token.Kind())
        {
            case SyntaxKind.StringLiteralToken or SyntaxKind.Utf8StringLiteralToken when inside || atOpenEnd:
                return (SitePlace.String, token.Text.StartsWith('@') ? StringKind.Verbatim : StringKind.Regular);
            case SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken
                or SyntaxKind.Utf8SingleLineRawStringLiteralToken or SyntaxKind.Utf8MultiLineRawStringLiteralToken when inside || atOpenEnd:
                return (SitePlace.String, StringKind.Raw);
            case SyntaxKind.CharacterLiteralToken when inside || atOpenEnd:
                return (SitePlace.Character, StringKind.None);
            case SyntaxKind.InterpolatedStringTextToken when inside || position == span.End || position == span.Start:
                return InterpolatedText(token);
            case SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedVerbatimStringStartToken
                or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken when position == span.End:
                return InterpolatedText(token);
            case SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedRawStringEndToken when position == span.Start && !token.IsMissing:
                return InterpolatedText(token);
            case SyntaxKind.CloseBraceToken when position == span.End && token.Parent is InterpolationSyntax:
            case SyntaxKind.OpenBraceToken when position == span.Start && token.Parent is InterpolationSyntax:
                return InterpolatedText(token);
            default:
                return null;
        }
    }

    /// <summary>A literal the parser had to close at the end of the line: the cursor at its end is still inside it.</summary>
    private static bool IsUnterminated(SyntaxToken token) =>
        token.ContainsDiagnostics && token.GetDiagnostics().Any(d => d.Id is "CS1010" or "CS1039" or "CS8997" or "CS9000" or "CS1011" or "CS1012");

    private static (SitePlace, StringKind) InterpolatedText(SyntaxToken token)
    {
        var interpolated = token.Parent?.FirstAncestorOrSelf<InterpolatedStringExpressionSyntax>();
        var kind = interpolated?.StringStartToken.Kind() switch
        {
            SyntaxKind.InterpolatedVerbatimStringStartToken => StringKind.InterpolatedVerbatim,
            SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken => StringKind.InterpolatedRaw,
            _ => StringKind.Interpolated,
        };
        return (SitePlace.String, kind);
    }

    /// <summary>
    /// Several lines fit where a statement or member starts (an empty line of a block or type, after <c>{</c>, after
    /// a signature or statement header whose body is still to come, after a <c>case</c> label); one line fits in the
    /// middle of a line or of an expression, arguments or initializers spread over lines included.
    /// </summary>
    private static bool IsMultiLineBySyntax(SyntaxNode root, SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        if (!IsBlank(text, position, line.End)) return false;
        var previous = TokenBefore(root, position);
        if (IsBlank(text, line.Start, position))
        {
            // What encloses an empty line says whether statements or members go there, or the rest of an expression.
            var enclosing = previous.Parent?.AncestorsAndSelf().FirstOrDefault(node => node.Span.Start < position
                && (position < node.Span.End || node.GetLastToken(includeZeroWidth: true).IsMissing)) ?? root;
            return IsStatementOrMemberList(enclosing);
        }
        return previous.Kind() switch
        {
            SyntaxKind.OpenBraceToken => previous.Parent is not InterpolationSyntax,
            SyntaxKind.ElseKeyword or SyntaxKind.TryKeyword or SyntaxKind.DoKeyword or SyntaxKind.FinallyKeyword => true,
            SyntaxKind.ColonToken => previous.Parent is SwitchLabelSyntax,
            SyntaxKind.CloseParenToken => previous.Parent switch
            {
                ParameterListSyntax { Parent: BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax } => true,
                IfStatementSyntax or WhileStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or UsingStatementSyntax
                    or LockStatementSyntax or FixedStatementSyntax or SwitchStatementSyntax => true,
                CatchDeclarationSyntax => true,
                _ => false,
            },
            SyntaxKind.IdentifierToken or SyntaxKind.GreaterThanToken => IsTypeHeader(previous),
            _ => false,
        };
    }

    private static bool IsStatementOrMemberList(SyntaxNode node) =>
        node is BlockSyntax or SwitchSectionSyntax or BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or CompilationUnitSyntax;

    /// <summary>The end of a type's header (<c>class Shelf</c>, <c>class Shelf : Base</c>) whose body is still to come.</summary>
    private static bool IsTypeHeader(SyntaxToken token)
    {
        var type = token.Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        return type is not null && (type.OpenBraceToken.IsMissing || type.OpenBraceToken.SpanStart > token.Span.End)
            && (token == type.Identifier || type.BaseList?.Span.End == token.Span.End || type.TypeParameterList?.Span.End == token.Span.End
                || type.ConstraintClauses.LastOrDefault()?.Span.End == token.Span.End);
    }

    /// <summary>Other files: several lines on an empty line or after an opener (<c>{ ( [ :</c>) whose body is not there yet.</summary>
    private static bool IsMultiLineByIndentation(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        if (!IsBlank(text, position, line.End)) return false;
        if (IsBlank(text, line.Start, position)) return true;
        char last = text.ToString(TextSpan.FromBounds(line.Start, position)).TrimEnd()[^1];
        if (last is not ('{' or '(' or '[' or ':')) return false;
        // A deeper next line is the body already written: complete this line only.
        for (int next = line.LineNumber + 1; next < text.Lines.Count; next++)
        {
            var following = text.Lines[next];
            if (IsBlank(text, following.Start, following.End)) continue;
            return Indentation.Width(text, following) <= Indentation.Width(text, line);
        }
        return true;
    }

    private static bool IsBlank(SourceText text, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace(text[i])) return false;
        }
        return true;
    }

    /// <summary>The last token ending at or before the position.</summary>
    private static SyntaxToken TokenBefore(SyntaxNode root, int position)
    {
        var token = root.FindToken(position);
        return token.SpanStart >= position || token.IsKind(SyntaxKind.EndOfFileToken) ? token.GetPreviousToken() : token;
    }

    /// <summary>The part of an identifier typed before the cursor, and the token before that identifier.</summary>
    private static (string TypedPrefix, SyntaxToken Before) IdentifierBefore(SyntaxNode root, int position)
    {
        var token = root.FindToken(position);
        if (token.SpanStart >= position || token.IsKind(SyntaxKind.EndOfFileToken)) token = token.GetPreviousToken();
        if (token.IsKind(SyntaxKind.IdentifierToken) && token.SpanStart < position && position <= token.Span.End)
            return (token.Text[..(position - token.SpanStart)], token.GetPreviousToken());
        return ("", token);
    }

    private static NameChoice? NamesAt(WorkspaceSnapshot snapshot, SourceDocument document, SyntaxNode root, int position, CancellationToken cancellationToken)
    {
        var (typedPrefix, before) = IdentifierBefore(root, position);
        if (!before.IsKind(SyntaxKind.DotToken) && !before.IsKind(SyntaxKind.NewKeyword)) return null;

        // The same token again in the tree the model binds (the compiled one has the same text around the cursor).
        var binding = CursorBinding.For(snapshot, document, position, cancellationToken);
        var (_, bound) = IdentifierBefore(binding.Root, binding.Position);
        if (bound.RawKind != before.RawKind) return null;
        if (bound.IsKind(SyntaxKind.NewKeyword))
        {
            var expected = ExpectedType(binding, bound.Parent, cancellationToken);
            return new NameChoice(NameSource.Type, typedPrefix, ReachableNames.TypesToCreate(binding.Model, binding.LookupPosition, expected), Display(expected));
        }
        if (Receiver(bound) is not { } receiver) return null;
        if (ReachableNames.MembersOf(binding.Model, receiver, binding.LookupPosition, binding.SymbolInfo(receiver, cancellationToken),
                () => binding.TypeInfo(receiver, cancellationToken).Type) is not { } members) return null;
        return new NameChoice(members.Source, typedPrefix, members.Names, Display(members.Type));
    }

    private static string? Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>The expression before a dot (<c>x.</c>, <c>x?.</c>, <c>Namespace.</c>).</summary>
    private static ExpressionSyntax? Receiver(SyntaxToken dot) => dot.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Expression,
        QualifiedNameSyntax qualified => qualified.Left,
        MemberBindingExpressionSyntax binding => binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression,
        _ => null,
    };

    /// <summary>The type a <c>new</c> expression must produce, from what receives it: a declaration, an assignment, a return, a throw, an argument.</summary>
    private static ITypeSymbol? ExpectedType(CursorBinding binding, SyntaxNode? creation, CancellationToken cancellationToken)
    {
        if (creation is null) return null;
        ITypeSymbol? Bind(TypeSyntax type) => type.IsVar ? null : binding.TypeInfo(type, cancellationToken).Type;
        var expected = creation.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } } => Bind(declaration.Type),
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => Bind(property.Type),
            EqualsValueClauseSyntax { Parent: ParameterSyntax { Type: { } parameterType } } => Bind(parameterType),
            AssignmentExpressionSyntax assignment when assignment.Right == creation => binding.TypeInfo(assignment.Left, cancellationToken).Type,
            ReturnStatementSyntax or ArrowExpressionClauseSyntax => binding.Model.GetEnclosingSymbol(binding.LookupPosition, cancellationToken) switch
            {
                IMethodSymbol method => method.ReturnType,
                IPropertySymbol property => property.Type,
                _ => null,
            },
            ThrowStatementSyntax or ThrowExpressionSyntax => binding.Model.Compilation.GetTypeByMetadataName("System.Exception"),
            _ => creation is ExpressionSyntax expression && binding.TypeInfo(expression, cancellationToken) is { ConvertedType: { } converted } info
                 && !SymbolEqualityComparer.Default.Equals(converted, info.Type) ? converted : null,
        };
        return expected is null or IErrorTypeSymbol || expected.SpecialType == SpecialType.System_Void ? null : expected;
    }
}
