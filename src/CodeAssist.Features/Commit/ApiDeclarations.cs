using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Features.Commit;

/// <summary>
/// One declaration other code can see. <see cref="Symbol"/> is its identity (<c>Type.Member(ParameterTypes)</c>),
/// <see cref="Signature"/> what callers depend on (modifiers, types, parameter names and defaults, accessors, bases),
/// <see cref="Node"/> the syntax, kept for the rename test.
/// </summary>
internal sealed record ApiDeclaration(string Container, string Name, string Symbol, string Kind, string Signature, SyntaxNode Node)
{
    public bool IsType => Kind is "type";
}

/// <summary>
/// The public and protected declarations of a C# file, found from syntax alone (both versions of a changed file are
/// parsed; nothing is compiled). Visible means: a type that is public (or nested visibly), and its members that are
/// public, protected or protected internal; interface members without a modifier and enum members count as public.
/// A <c>partial</c> part without an accessibility modifier takes it from another part we may not see, so it is
/// treated as visible; its members still need their own modifiers. Explicit interface implementations are not
/// members of the type's surface.
/// </summary>
internal static class ApiDeclarations
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview, DocumentationMode.None);

    public static IReadOnlyList<ApiDeclaration> Of(string text, CancellationToken cancellationToken)
    {
        var root = CSharpSyntaxTree.ParseText(text, ParseOptions, cancellationToken: cancellationToken).GetCompilationUnitRoot(cancellationToken);
        var declarations = new List<ApiDeclaration>();
        foreach (var member in root.Members)
        {
            Collect(member, "", declarations, cancellationToken);
        }
        return declarations;
    }

    private static void Collect(MemberDeclarationSyntax member, string container, List<ApiDeclaration> declarations, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        switch (member)
        {
            case BaseNamespaceDeclarationSyntax ns:
                foreach (var inner in ns.Members) Collect(inner, container, declarations, cancellationToken);
                break;
            case BaseTypeDeclarationSyntax type when IsVisibleType(type.Modifiers, nested: container.Length > 0):
                string typeName = type.Identifier.ValueText + TypeParameters((type as TypeDeclarationSyntax)?.TypeParameterList);
                string typeSymbol = Qualify(container, typeName);
                declarations.Add(new ApiDeclaration(container, type.Identifier.ValueText, typeSymbol, "type", TypeSignature(type), type));
                CollectMembers(type, typeSymbol, declarations, cancellationToken);
                break;
            case DelegateDeclarationSyntax @delegate when IsVisibleType(@delegate.Modifiers, nested: container.Length > 0):
                string delegateName = @delegate.Identifier.ValueText + TypeParameters(@delegate.TypeParameterList);
                declarations.Add(new ApiDeclaration(container, @delegate.Identifier.ValueText, Qualify(container, delegateName), "type",
                    Normalize($"{@delegate.Modifiers} delegate {@delegate.ReturnType} {delegateName}{@delegate.ParameterList} {@delegate.ConstraintClauses}"),
                    @delegate));
                break;
        }
    }

    private static void CollectMembers(BaseTypeDeclarationSyntax type, string typeSymbol, List<ApiDeclaration> declarations, CancellationToken cancellationToken)
    {
        bool isInterface = type is InterfaceDeclarationSyntax;
        if (type is EnumDeclarationSyntax @enum)
        {
            foreach (var value in @enum.Members)
            {
                declarations.Add(new ApiDeclaration(typeSymbol, value.Identifier.ValueText, $"{typeSymbol}.{value.Identifier.ValueText}", "field",
                    Normalize(value.WithoutTrivia().ToString()), value));
            }
            return;
        }
        var typeDeclaration = (TypeDeclarationSyntax)type;
        if (type is RecordDeclarationSyntax { ParameterList: { } positional })
        {
            // A positional record's parameters are public properties.
            foreach (var parameter in positional.Parameters)
            {
                declarations.Add(new ApiDeclaration(typeSymbol, parameter.Identifier.ValueText, $"{typeSymbol}.{parameter.Identifier.ValueText}", "property",
                    Normalize($"{parameter.Type} {parameter.Identifier.ValueText}"), parameter));
            }
        }
        foreach (var member in typeDeclaration.Members)
        {
            if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            {
                if (IsVisibleMember(member.Modifiers, isInterface)) Collect(member, typeSymbol, declarations, cancellationToken);
                continue;
            }
            if (!IsVisibleMember(member.Modifiers, isInterface)) continue;
            switch (member)
            {
                case MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method:
                    string methodName = method.Identifier.ValueText + TypeParameters(method.TypeParameterList);
                    Add(declarations, typeSymbol, method.Identifier.ValueText, $"{methodName}({ParameterTypes(method.ParameterList)})", "method",
                        $"{method.Modifiers} {method.ReturnType} {methodName}{method.ParameterList} {method.ConstraintClauses}", method);
                    break;
                case ConstructorDeclarationSyntax constructor:
                    Add(declarations, typeSymbol, constructor.Identifier.ValueText, $"{constructor.Identifier.ValueText}({ParameterTypes(constructor.ParameterList)})",
                        "constructor", $"{constructor.Modifiers} {constructor.Identifier.ValueText}{constructor.ParameterList}", constructor);
                    break;
                case PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property:
                    Add(declarations, typeSymbol, property.Identifier.ValueText, property.Identifier.ValueText, "property",
                        $"{property.Modifiers} {property.Type} {property.Identifier.ValueText} {Accessors(property.AccessorList, property.ExpressionBody)}", property);
                    break;
                case IndexerDeclarationSyntax { ExplicitInterfaceSpecifier: null } indexer:
                    Add(declarations, typeSymbol, "this", $"this[{ParameterTypes(indexer.ParameterList)}]", "indexer",
                        $"{indexer.Modifiers} {indexer.Type} this{indexer.ParameterList} {Accessors(indexer.AccessorList, indexer.ExpressionBody)}", indexer);
                    break;
                case EventDeclarationSyntax { ExplicitInterfaceSpecifier: null } @event:
                    Add(declarations, typeSymbol, @event.Identifier.ValueText, @event.Identifier.ValueText, "event",
                        $"{@event.Modifiers} event {@event.Type} {@event.Identifier.ValueText}", @event);
                    break;
                case BaseFieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        string keyword = field is EventFieldDeclarationSyntax ? "event " : "";
                        // A constant's value is part of its contract: callers compile it in.
                        string value = field.Modifiers.Any(SyntaxKind.ConstKeyword) && variable.Initializer is { } initializer ? $" {initializer}" : "";
                        Add(declarations, typeSymbol, variable.Identifier.ValueText, variable.Identifier.ValueText, keyword.Length > 0 ? "event" : "field",
                            $"{field.Modifiers} {keyword}{field.Declaration.Type} {variable.Identifier.ValueText}{value}", variable);
                    }
                    break;
                case OperatorDeclarationSyntax @operator:
                    Add(declarations, typeSymbol, "operator " + @operator.OperatorToken.ValueText,
                        $"operator {@operator.OperatorToken.ValueText}({ParameterTypes(@operator.ParameterList)})", "operator",
                        $"{@operator.Modifiers} {@operator.ReturnType} operator {@operator.OperatorToken.ValueText}{@operator.ParameterList}", @operator);
                    break;
                case ConversionOperatorDeclarationSyntax conversion:
                    string conversionName = $"{conversion.ImplicitOrExplicitKeyword.ValueText} operator {Normalize(conversion.Type.ToString())}";
                    Add(declarations, typeSymbol, conversionName, $"{conversionName}({ParameterTypes(conversion.ParameterList)})", "operator",
                        $"{conversion.Modifiers} {conversionName}{conversion.ParameterList}", conversion);
                    break;
            }
        }
    }

    private static void Add(List<ApiDeclaration> declarations, string typeSymbol, string name, string member, string kind, string signature, SyntaxNode node) =>
        declarations.Add(new ApiDeclaration(typeSymbol, name, $"{typeSymbol}.{member}", kind, Normalize(signature), node));

    private static string Qualify(string container, string name) => container.Length == 0 ? name : $"{container}.{name}";

    private static bool IsVisibleType(SyntaxTokenList modifiers, bool nested)
    {
        if (modifiers.Any(SyntaxKind.PublicKeyword)) return true;
        if (nested) return IsVisibleMember(modifiers, isInterface: false);
        bool hasAccessibility = modifiers.Any(m => m.Kind() is SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.FileKeyword);
        return !hasAccessibility && modifiers.Any(SyntaxKind.PartialKeyword);
    }

    private static bool IsVisibleMember(SyntaxTokenList modifiers, bool isInterface)
    {
        if (modifiers.Any(SyntaxKind.PublicKeyword)) return true;
        bool isProtected = modifiers.Any(SyntaxKind.ProtectedKeyword);
        bool isPrivate = modifiers.Any(SyntaxKind.PrivateKeyword);
        if (isProtected) return !isPrivate; // private protected is for the assembly's own derived types
        bool hasAccessibility = isPrivate || modifiers.Any(SyntaxKind.InternalKeyword);
        return isInterface && !hasAccessibility;
    }

    private static string TypeParameters(TypeParameterListSyntax? list) =>
        list is null ? "" : "<" + string.Join(", ", list.Parameters.Select(p => p.Identifier.ValueText)) + ">";

    private static string ParameterTypes(BaseParameterListSyntax list) =>
        string.Join(", ", list.Parameters.Select(p =>
        {
            string modifier = string.Join(" ", p.Modifiers.Where(m => m.Kind() is SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.InKeyword)
                .Select(m => m.ValueText));
            string type = Normalize(p.Type?.ToString() ?? "");
            return modifier.Length > 0 ? $"{modifier} {type}" : type;
        }));

    private static string Accessors(AccessorListSyntax? accessors, ArrowExpressionClauseSyntax? expressionBody) =>
        accessors is null
            ? (expressionBody is null ? "" : "{ get; }")
            : "{ " + string.Join(" ", accessors.Accessors.Select(a => $"{a.Modifiers} {a.Keyword.ValueText};".Trim())) + " }";

    private static string TypeSignature(BaseTypeDeclarationSyntax type)
    {
        string keyword = type switch
        {
            RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
            TypeDeclarationSyntax declaration => declaration.Keyword.ValueText,
            _ => "enum",
        };
        var typeDeclaration = type as TypeDeclarationSyntax;
        // A partial part's modifiers and bases may sit on another part: compare only what this part states.
        return Normalize($"{type.Modifiers} {keyword} {type.Identifier.ValueText}{typeDeclaration?.TypeParameterList}{typeDeclaration?.ParameterList} " +
                         $"{type.BaseList} {typeDeclaration?.ConstraintClauses}");
    }

    /// <summary>Collapses whitespace, drops comments: the text as a reader compares it.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                // No space inside brackets or before separators: "(int a, int b)", "List<int>".
                char last = builder[^1];
                if (!(last is '(' or '[' or '<' || c is ')' or ']' or '>' or ',' or ';' or '(' or '[')) builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The declaration's text with every occurrence of its own name replaced, whitespace and comments ignored: two
    /// declarations with the same shape differ only by their names (a rename: same body, new name).
    /// </summary>
    public static string Shape(ApiDeclaration declaration)
    {
        var builder = new StringBuilder();
        foreach (var token in declaration.Node.DescendantTokens())
        {
            builder.Append(token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == declaration.Name ? "\u0001" : token.ValueText).Append(' ');
        }
        return builder.ToString();
    }
}
