using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// A diagnostic in the words of the compiler, found in one text: its id and message, where it is, and for a name that
/// does not exist, the name (which a repair may replace).
/// </summary>
internal sealed record Problem(string Id, string Message, TextSpan Span, bool IsError, SimpleNameSyntax? Name = null)
{
    public static Problem From(Diagnostic diagnostic, SyntaxNode? root) =>
        new(diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), diagnostic.Location.SourceSpan,
            diagnostic.Severity == DiagnosticSeverity.Error, root is null ? null : NameAt(root, diagnostic.Location.SourceSpan));

    private static SimpleNameSyntax? NameAt(SyntaxNode root, TextSpan span)
    {
        if (span.IsEmpty || span.End > root.FullSpan.End) return null;
        var token = root.FindToken(span.Start);
        return token.IsKind(SyntaxKind.IdentifierToken) && token.Span == span ? token.Parent as SimpleNameSyntax : null;
    }
}

/// <summary>
/// The errors of a member body that a speculative semantic model can show. Roslyn's speculative models bind but do not
/// report diagnostics (<c>GetDiagnostics</c> throws <see cref="NotSupportedException"/> on them), and a compilation with
/// the edited tree costs a hundred milliseconds and more in a real repository, rebuilding every source symbol the body
/// touches. So the errors a completion most often introduces are read off the binding, with the compiler's ids and
/// messages: names that do not exist (CS0103, CS0117, CS1061, CS0234, CS0246, CS0426), inaccessible or static/instance
/// mismatched members (CS0122, CS0120, CS0176), calls no overload accepts (CS1501, CS7036, CS1729, CS1503), non-invocable
/// members called (CS1955) and implicit conversions that do not exist (CS0029, CS0266). Nothing is reported where the
/// compiler would report nothing; some errors the compiler reports are not seen here (a tree with the edit is compiled
/// for members speculation cannot bind, see <see cref="CodeCheck"/>).
/// </summary>
internal static class BindingProblems
{
    private static readonly SymbolDisplayFormat s_format = SymbolDisplayFormat.CSharpErrorMessageFormat;

    /// <summary>The problems of the code in <paramref name="scope"/> that touch <paramref name="region"/>; only that code is bound.</summary>
    public static List<Problem> Collect(SemanticModel model, SyntaxNode scope, TextSpan region, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        foreach (var node in scope.DescendantNodesAndSelf(region, descendIntoChildren: n => n is not AttributeListSyntax && !IsNameOf(n)))
        {
            if (!node.Span.IntersectsWith(region)) continue;
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case SimpleNameSyntax name:
                    CheckName(model, name, problems, cancellationToken);
                    break;
                case InvocationExpressionSyntax invocation:
                    CheckInvocation(model, invocation, problems, cancellationToken);
                    break;
                case ObjectCreationExpressionSyntax creation:
                    CheckCreation(model, creation, problems, cancellationToken);
                    break;
            }
            if (node is ExpressionSyntax expression && IsConvertedToTarget(expression)) CheckConversion(model, expression, problems, cancellationToken);
        }
        problems.RemoveAll(p => !p.Span.IntersectsWith(region));
        return problems;
    }

    private static bool IsNameOf(SyntaxNode node) =>
        node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } };

    private static void CheckName(SemanticModel model, SimpleNameSyntax name, List<Problem> problems, CancellationToken cancellationToken)
    {
        if (name.Identifier.IsMissing || name.Identifier.ValueText is "_" or "var" or "dynamic" or "nint" or "nuint" or "nameof"
            || name.Parent is NameColonSyntax or NameEqualsSyntax or ExpressionColonSyntax) return;
        var info = model.GetSymbolInfo(name, cancellationToken);
        if (info.Symbol is not null) return;
        var span = name.Identifier.Span;
        if (info.CandidateSymbols.Length > 0)
        {
            var candidate = info.CandidateSymbols[0].ToDisplayString(s_format);
            switch (info.CandidateReason)
            {
                case CandidateReason.Inaccessible:
                    problems.Add(new Problem("CS0122", $"'{candidate}' is inaccessible due to its protection level", span, true, name));
                    break;
                case CandidateReason.StaticInstanceMismatch:
                    problems.Add(StaticInstanceMismatch(model, name, candidate, cancellationToken));
                    break;
                case CandidateReason.NotInvocable:
                    problems.Add(new Problem("CS1955", $"Non-invocable member '{candidate}' cannot be used like a method.", span, true));
                    break;
            }
            return;
        }

        string identifier = name.Identifier.ValueText;
        if (ObjectInitializerType(model, name, cancellationToken) is { } initialized)
        {
            problems.Add(new Problem("CS0117", $"'{initialized.ToDisplayString(s_format)}' does not contain a definition for '{identifier}'", span, true, name));
            return;
        }
        if (ReceiverOf(name) is not { } owner)
        {
            // Code in a type whose base the workspace cannot resolve may name any member that base has.
            if (model.GetEnclosingSymbol(name.SpanStart, cancellationToken)?.ContainingType is { } enclosing && HasUnresolvedBase(enclosing)) return;
            problems.Add(SyntaxFacts.IsInNamespaceOrTypeContext(name)
                ? new Problem("CS0246", $"The type or namespace name '{identifier}' could not be found (are you missing a using directive or an assembly reference?)", span, true, name)
                : new Problem("CS0103", $"The name '{identifier}' does not exist in the current context", span, true, name));
            return;
        }
        switch (model.GetSymbolInfo(owner, cancellationToken).Symbol)
        {
            case INamespaceSymbol ns:
                problems.Add(new Problem("CS0234", $"The type or namespace name '{identifier}' does not exist in the namespace '{ns.ToDisplayString(s_format)}' (are you missing an assembly reference?)", span, true, name));
                return;
            case INamedTypeSymbol type when name.Parent is QualifiedNameSyntax:
                problems.Add(new Problem("CS0426", $"The type name '{identifier}' does not exist in the type '{type.ToDisplayString(s_format)}'", span, true, name));
                return;
            case INamedTypeSymbol type when HasUnresolvedBase(type):
                return;
            case INamedTypeSymbol type:
                problems.Add(new Problem("CS0117", $"'{type.ToDisplayString(s_format)}' does not contain a definition for '{identifier}'", span, true, name));
                return;
        }
        var receiverType = model.GetTypeInfo(owner, cancellationToken).Type;
        // The receiver's own error, late binding, or a base the workspace cannot resolve (its members are unknown).
        if (receiverType is null or IErrorTypeSymbol || receiverType.TypeKind == TypeKind.Dynamic || HasUnresolvedBase(receiverType)) return;
        string typeName = receiverType.ToDisplayString(s_format);
        problems.Add(new Problem("CS1061",
            $"'{typeName}' does not contain a definition for '{identifier}' and no accessible extension method '{identifier}' accepting a first argument of type '{typeName}' could be found (are you missing a using directive or an assembly reference?)",
            span, true, name));
    }

    /// <summary>Whether a base type or interface of the type is missing from the compilation (an assembly the workspace lacks).</summary>
    private static bool HasUnresolvedBase(ITypeSymbol type)
    {
        if (type is ITypeParameterSymbol parameter) return parameter.ConstraintTypes.Any(HasUnresolvedBase);
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.TypeKind == TypeKind.Error) return true;
        }
        return type.AllInterfaces.Any(i => i.TypeKind == TypeKind.Error);
    }

    /// <summary>An instance member named through a type or from static code (CS0120), or a static one through a value (CS0176).</summary>
    private static Problem StaticInstanceMismatch(SemanticModel model, SimpleNameSyntax name, string member, CancellationToken cancellationToken) =>
        ReceiverOf(name) is { } receiver && model.GetSymbolInfo(receiver, cancellationToken).Symbol is not ITypeSymbol
            ? new Problem("CS0176", $"Member '{member}' cannot be accessed with an instance reference; qualify it with a type name instead", name.Identifier.Span, true)
            : new Problem("CS0120", $"An object reference is required for the non-static field, method, or property '{member}'", name.Identifier.Span, true);

    /// <summary>The expression a name is a member of: <c>x.Name</c>, <c>x?.Name</c>, <c>N.Name</c>.</summary>
    internal static ExpressionSyntax? ReceiverOf(SimpleNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access when access.Name == name => access.Expression,
        MemberBindingExpressionSyntax binding when binding.Name == name => binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression,
        QualifiedNameSyntax qualified when qualified.Right == name => qualified.Left,
        _ => null,
    };

    /// <summary>The type whose member a name assigns in an object or <c>with</c> initializer (<c>new Book { Title = … }</c>).</summary>
    private static ITypeSymbol? ObjectInitializerType(SemanticModel model, SimpleNameSyntax name, CancellationToken cancellationToken)
    {
        if (name.Parent is not AssignmentExpressionSyntax assignment || assignment.Left != name
            || assignment.Parent is not InitializerExpressionSyntax { Parent: { } owner } initializer
            || !initializer.IsKind(SyntaxKind.ObjectInitializerExpression) && !initializer.IsKind(SyntaxKind.WithInitializerExpression)) return null;
        var type = owner is ExpressionSyntax created ? model.GetTypeInfo(created, cancellationToken).Type : null;
        return type is null or IErrorTypeSymbol ? null : type;
    }

    private static void CheckInvocation(SemanticModel model, InvocationExpressionSyntax invocation, List<Problem> problems, CancellationToken cancellationToken)
    {
        var info = model.GetSymbolInfo(invocation, cancellationToken);
        if (info.Symbol is not null || info.CandidateReason != CandidateReason.OverloadResolutionFailure || InvokedName(invocation.Expression) is not { } name) return;
        var methods = info.CandidateSymbols.OfType<IMethodSymbol>().ToArray();
        if (methods.Length == 0) return;
        var arguments = invocation.ArgumentList.Arguments;
        if (!methods.Any(m => AcceptsCount(m, arguments.Count)))
        {
            problems.Add(methods.Length == 1 && arguments.Count < RequiredCount(methods[0])
                ? new Problem("CS7036", $"There is no argument given that corresponds to the required parameter '{methods[0].Parameters[arguments.Count].Name}' of '{methods[0].ToDisplayString(s_format)}'", name.Identifier.Span, true, name)
                : new Problem("CS1501", $"No overload for method '{name.Identifier.ValueText}' takes {arguments.Count} arguments", name.Identifier.Span, true, name));
            return;
        }
        if (ArgumentMismatch(model, methods, arguments, cancellationToken) is { } mismatch) problems.Add(mismatch);
        else if (StaticMismatchOf(model, name, methods.Where(m => AcceptsCount(m, arguments.Count)).ToArray(), cancellationToken) is { } mismatched)
            problems.Add(StaticInstanceMismatch(model, name, mismatched.ToDisplayString(s_format), cancellationToken));
    }

    /// <summary>
    /// The candidate a call failed on for being static through a value, or an instance method through a type or from
    /// static code: overload resolution reports it as a failure with the method as the only fitting candidate.
    /// </summary>
    private static IMethodSymbol? StaticMismatchOf(SemanticModel model, SimpleNameSyntax name, IMethodSymbol[] fitting, CancellationToken cancellationToken)
    {
        if (fitting.Length != 1) return null;
        var method = fitting[0];
        bool throughType = ReceiverOf(name) is { } receiver
            ? model.GetSymbolInfo(receiver, cancellationToken).Symbol is ITypeSymbol
            : model.GetEnclosingSymbol(name.SpanStart, cancellationToken) is { IsStatic: true };
        bool throughValue = ReceiverOf(name) is { } valueReceiver && model.GetSymbolInfo(valueReceiver, cancellationToken).Symbol is not ITypeSymbol;
        return method.IsStatic && throughValue || !method.IsStatic && throughType ? method : null;
    }

    private static void CheckCreation(SemanticModel model, ObjectCreationExpressionSyntax creation, List<Problem> problems, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(creation.Type, cancellationToken).Type is not INamedTypeSymbol type || type.TypeKind == TypeKind.Error) return;
        var info = model.GetSymbolInfo(creation, cancellationToken);
        if (info.Symbol is not null || info.CandidateReason != CandidateReason.OverloadResolutionFailure) return;
        var constructors = info.CandidateSymbols.OfType<IMethodSymbol>().ToArray();
        if (constructors.Length == 0) return;
        var arguments = creation.ArgumentList?.Arguments ?? default;
        if (!constructors.Any(c => AcceptsCount(c, arguments.Count)))
        {
            problems.Add(constructors.Length == 1 && arguments.Count < RequiredCount(constructors[0])
                ? new Problem("CS7036", $"There is no argument given that corresponds to the required parameter '{constructors[0].Parameters[arguments.Count].Name}' of '{constructors[0].ToDisplayString(s_format)}'", creation.Type.Span, true)
                : new Problem("CS1729", $"'{type.ToDisplayString(s_format)}' does not contain a constructor that takes {arguments.Count} arguments", creation.Type.Span, true));
            return;
        }
        if (ArgumentMismatch(model, constructors, arguments, cancellationToken) is { } mismatch) problems.Add(mismatch);
    }

    /// <summary>The first argument that converts to no parameter of a candidate taking that many arguments (CS1503), when one is certain.</summary>
    private static Problem? ArgumentMismatch(SemanticModel model, IMethodSymbol[] candidates, SeparatedSyntaxList<ArgumentSyntax> arguments, CancellationToken cancellationToken)
    {
        // Generic inference, named arguments, ref kinds and lambdas fail in ways the compiler words differently: say nothing.
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None) || a.Expression is AnonymousFunctionExpressionSyntax)) return null;
        var candidate = candidates.FirstOrDefault(c => AcceptsCount(c, arguments.Count) && !c.IsGenericMethod && !c.Parameters.Any(p => p.IsParams));
        if (candidate is null || candidates.Count(c => AcceptsCount(c, arguments.Count)) != 1) return null;
        for (int i = 0; i < arguments.Count; i++)
        {
            var argumentType = model.GetTypeInfo(arguments[i].Expression, cancellationToken).Type;
            var parameterType = candidate.Parameters[i].Type;
            if (argumentType is null or IErrorTypeSymbol || parameterType.TypeKind is TypeKind.Error or TypeKind.TypeParameter) return null;
            if (model.ClassifyConversion(arguments[i].Expression, parameterType).IsImplicit) continue;
            return new Problem("CS1503", $"Argument {i + 1}: cannot convert from '{argumentType.ToDisplayString(s_format)}' to '{parameterType.ToDisplayString(s_format)}'", arguments[i].Span, true);
        }
        return null;
    }

    private static int RequiredCount(IMethodSymbol method) => method.Parameters.Count(p => !p.IsOptional && !p.IsParams);

    private static bool AcceptsCount(IMethodSymbol method, int count) =>
        count >= RequiredCount(method) && (count <= method.Parameters.Length || method.Parameters.LastOrDefault()?.IsParams == true);

    private static SimpleNameSyntax? InvokedName(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax simple => simple,
        MemberAccessExpressionSyntax access => access.Name,
        MemberBindingExpressionSyntax binding => binding.Name,
        _ => null,
    };

    /// <summary>An expression whose value goes to a declared target: an initializer, an assignment, a return.</summary>
    private static bool IsConvertedToTarget(ExpressionSyntax expression) => expression.Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type.IsVar: false } } } => true,
        AssignmentExpressionSyntax assignment => assignment.Right == expression && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression),
        ReturnStatementSyntax => true,
        _ => false,
    };

    private static void CheckConversion(SemanticModel model, ExpressionSyntax expression, List<Problem> problems, CancellationToken cancellationToken)
    {
        var info = model.GetTypeInfo(expression, cancellationToken);
        if (info.Type is null or IErrorTypeSymbol || info.ConvertedType is null or IErrorTypeSymbol
            || info.ConvertedType.SpecialType == SpecialType.System_Void || SymbolEqualityComparer.Default.Equals(info.Type, info.ConvertedType)) return;
        var conversion = model.GetConversion(expression, cancellationToken);
        if (conversion.IsImplicit) return;
        string from = info.Type.ToDisplayString(s_format), to = info.ConvertedType.ToDisplayString(s_format);
        problems.Add(conversion is { Exists: true, IsExplicit: true }
            ? new Problem("CS0266", $"Cannot implicitly convert type '{from}' to '{to}'. An explicit conversion exists (are you missing a cast?)", expression.Span, true)
            : new Problem("CS0029", $"Cannot implicitly convert type '{from}' to '{to}'", expression.Span, true));
    }
}
