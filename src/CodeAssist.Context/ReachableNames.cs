using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Context;

/// <summary>
/// The names code at a position can write: a receiver's accessible members, the types <c>new</c> can create, every
/// name in scope. One source for the completion site (what constrained generation chooses from) and for repairs (what
/// a misspelt name is corrected to), so both agree. Names are distinct and ordered (see each method).
/// </summary>
internal static class ReachableNames
{
    /// <summary>
    /// The accessible members after <c>receiver.</c> (or <c>receiver?.</c>): instance members and extension methods
    /// in scope for a value, static members and nested types for a type, types and namespaces for a namespace; every
    /// partial declaration's members, since the symbols merge them. Null when the receiver does not bind.
    /// </summary>
    public static (NameSource Source, IReadOnlyList<string> Names, ITypeSymbol? Type)? MembersOf(
        SemanticModel model, ExpressionSyntax receiver, int position, CancellationToken cancellationToken) =>
        MembersOf(model, receiver, position, model.GetSymbolInfo(receiver, cancellationToken), () => model.GetTypeInfo(receiver, cancellationToken).Type);

    /// <summary>
    /// The same for a receiver bound by the caller (<paramref name="info"/>, and its type when asked): one of declarations
    /// being typed, bound alone (see <see cref="CursorBinding"/>); <paramref name="model"/> and <paramref name="position"/> say what is accessible.
    /// </summary>
    public static (NameSource Source, IReadOnlyList<string> Names, ITypeSymbol? Type)? MembersOf(
        SemanticModel model, ExpressionSyntax receiver, int position, SymbolInfo info, Func<ITypeSymbol?> typeOf)
    {
        var symbol = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
        switch (symbol)
        {
            case INamespaceSymbol ns:
                return (NameSource.NamespaceMember, Distinct(ns.GetMembers().Where(m => IsAccessibleType(model, m, position) || m is INamespaceSymbol)), null);
            case INamedTypeSymbol type:
                return (NameSource.StaticMember, Distinct(model.LookupStaticMembers(position, type).Where(IsNameable)), type);
        }
        // A value the parser took for a type name (`book.` before a declaration on the next line) binds by its symbol.
        var valueType = typeOf() is { TypeKind: not TypeKind.Error } bound ? bound : TypeOf(symbol);
        if (valueType is null or IErrorTypeSymbol || valueType.TypeKind == TypeKind.Dynamic) return null;
        // Through base, protected members are reachable too; a lookup in the base type as a container leaves them out.
        var found = receiver is BaseExpressionSyntax
            ? model.LookupBaseMembers(position)
            : model.LookupSymbols(position, valueType, includeReducedExtensionMethods: true);
        var members = found.Where(m => IsNameable(m) && m is not ITypeSymbol && (!m.IsStatic || m is IMethodSymbol { ReducedFrom: not null }));
        return (NameSource.InstanceMember, Distinct(members), valueType);
    }

    /// <summary>
    /// The types <c>new</c> can create at the position: <paramref name="expected"/> when it can be created, then the
    /// types in scope that derive from it or implement it, then the other types in scope, then the namespaces a
    /// qualified name could start with. Each group in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> TypesToCreate(SemanticModel model, int position, ITypeSymbol? expected)
    {
        var inScope = model.LookupNamespacesAndTypes(position);
        var fitting = new List<ISymbol>();
        var others = new List<ISymbol>();
        var namespaces = new List<ISymbol>();
        foreach (var symbol in inScope)
        {
            if (symbol is INamespaceSymbol) namespaces.Add(symbol);
            else if (symbol is ITypeSymbol type && CanCreate(type))
                (expected is not null && !SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected.OriginalDefinition) && Fits(type, expected) ? fitting : others).Add(symbol);
        }
        var names = new List<string>();
        if (expected is not null && CanCreate(expected)) names.Add(expected.Name);
        names.AddRange(Distinct(fitting));
        names.AddRange(Distinct(others));
        names.AddRange(Distinct(namespaces));
        return names.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every name an unqualified identifier can refer to at the position: locals, parameters, members, types, namespaces.</summary>
    public static IReadOnlyList<string> InScope(SemanticModel model, int position) => Distinct(model.LookupSymbols(position).Where(IsNameable));

    /// <summary>Types and namespaces an unqualified type name can refer to at the position.</summary>
    public static IReadOnlyList<string> TypesInScope(SemanticModel model, int position) => Distinct(model.LookupNamespacesAndTypes(position).Where(IsNameable));

    private static ITypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsAccessibleType(SemanticModel model, ISymbol symbol, int position) =>
        symbol is INamedTypeSymbol && model.IsAccessible(position, symbol);

    private static bool CanCreate(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol parameter => parameter.HasConstructorConstraint || parameter.HasValueTypeConstraint || parameter.HasUnmanagedTypeConstraint,
        INamedTypeSymbol named => !named.IsAbstract && !named.IsStatic && named.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Delegate,
        _ => false,
    };

    /// <summary>Whether <paramref name="type"/> derives from or implements <paramref name="expected"/> (generic definitions compared).</summary>
    private static bool Fits(ITypeSymbol type, ITypeSymbol expected)
    {
        var target = expected.OriginalDefinition;
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(baseType.OriginalDefinition, target)) return true;
        }
        return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, target));
    }

    /// <summary>Whether source code can write the symbol's name: no constructors, operators, accessors or indexers.</summary>
    private static bool IsNameable(ISymbol symbol) => symbol.CanBeReferencedByName && SyntaxFacts.IsValidIdentifier(symbol.Name);

    private static string[] Distinct(IEnumerable<ISymbol> symbols) =>
        symbols.Select(s => s.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
