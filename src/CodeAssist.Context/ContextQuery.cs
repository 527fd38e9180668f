using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// One retrieval: gathers declarations tied to the cursor by the semantic model, scores them, renders them as
/// signatures and packs them into the budget, then fills what is left with lexical neighbours.
/// Scores come in tiers so that the strongest evidence always wins: the receiver of a member access at the
/// cursor, then symbols used near the cursor (closer is better), then the enclosing type's bases and the types
/// in scope, then the repository map; lexical windows only fill.
/// </summary>
internal sealed partial class ContextQuery
{
    private const int PrefixLines = 20;
    private const int SuffixLines = 6;
    private const int RepositoryMapBudget = 32 * 1024;
    private const int MinItemTokens = 8;
    private const int MaxTypeParts = 3;
    // Overloads of one member in one file are packed as one item up to this length: one signature, then the others'
    // parameter lists, so that many fit where each alone would repeat its doc line, modifiers and return type.
    private const int MaxOverloadGroupLength = 1600;

    private readonly WorkspaceSnapshot _snapshot;
    // Read once: the snapshot's facts may be replaced by newer ones while the query runs.
    private readonly RepositoryFacts _facts;
    private readonly SourceDocument _document;
    private readonly SourceText _text;
    private readonly int _cursor;
    // The member at the cursor grafted into the compiled bodyless tree, when _document is that graft.
    private readonly MemberGraft? _graft;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<(string Path, int Start), Candidate> _candidates = [];

    // What the cursor analysis binds against: the edited tree, or the compiled tree where it has the same text.
    private SyntaxNode _root = null!;
    private int _position;
    private SemanticModel _model = null!;
    // The span of the analysed tree that _model binds speculatively; null when it binds the whole tree.
    private TextSpan? _speculated;
    // What all of the above came from; for declarations being edited, what binds each expression of _speculated alone.
    private CursorBinding _binding;
    // Where lookups at the cursor (names in scope, accessible members) are asked: see Bind.
    private SemanticModel _scopeModel = null!;
    private int _scopePosition;

    private sealed record Candidate(string Path, Declaration Declaration, string Kind, double Score);

    /// <summary>
    /// Part of the window around the cursor, bindable by one model, or in declarations being edited each name alone
    /// (<paramref name="Alone"/>: by the cursor's binding, see <see cref="CursorBinding.AloneAt"/>); lines counted in the edited document.
    /// </summary>
    private sealed record WindowSegment(SyntaxNode Root, TextSpan Span, SemanticModel Model, Func<int, int> LineOf, bool Alone = false);

    private ContextQuery(WorkspaceSnapshot snapshot, SourceDocument document, SourceText text, int position, MemberGraft? graft, CancellationToken cancellationToken)
    {
        _graft = graft;
        _snapshot = snapshot;
        _facts = snapshot.Facts.Value;
        _document = document;
        _text = text;
        _cursor = position;
        _cancellationToken = cancellationToken;
    }

    /// <param name="text">The document's text, which <paramref name="position"/> is in.</param>
    /// <param name="log">Told when Roslyn fails on the document; the answer is then lexical only.</param>
    /// <param name="graft">What <paramref name="document"/> was grafted from, when it is a <see cref="MemberGraft"/>.</param>
    public static ContextResult Run(WorkspaceSnapshot snapshot, SourceDocument document, SourceText text, int position, int budgetTokens,
        Func<string, int> countTokens, Action<string> log, CancellationToken cancellationToken, MemberGraft? graft = null)
    {
        var query = new ContextQuery(snapshot, document, text, position, graft, cancellationToken);
        if (document.Tree is not null)
        {
            try
            {
                query.CollectSemantic();
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
            {
                // A bug of ours or Roslyn's on this text must not cost the user the answer: lexical neighbours still fit.
                log($"semantic context failed at {document.Path}:{text.Lines.GetLinePosition(position)}; answering lexically: {exception}");
                query._candidates.Clear();
            }
        }
        var items = new List<ContextItem>();
        int tokens = query.Pack(items, budgetTokens, countTokens);
        if (budgetTokens >= RepositoryMapBudget) tokens += query.PackRepositoryMap(items, Math.Min(budgetTokens - tokens, budgetTokens / 4), countTokens);
        tokens += query.PackLexical(items, budgetTokens - tokens, countTokens);
        return new ContextResult(items, tokens);
    }

    private void CollectSemantic()
    {
        var segments = Bind();
        var previous = _root.FindToken(_position);
        if (previous.SpanStart >= _position) previous = previous.GetPreviousToken();
        string typedPrefix = "";
        if (previous.Span.End == _position && SyntaxFacts.IsIdentifierStartCharacter(previous.Text.FirstOrDefault()))
        {
            typedPrefix = previous.Text;
            previous = previous.GetPreviousToken();
        }

        if (previous.IsKind(SyntaxKind.DotToken) && Receiver(previous) is { } receiver) AddReceiverMembers(receiver, typedPrefix);
        else if (previous.IsKind(SyntaxKind.NewKeyword)) AddExpectedType(previous, typedPrefix);
        else if (typedPrefix.Length > 0) AddNamesInScope(typedPrefix);

        AddWindowSymbols(segments);
        AddEnclosingType();
        AddLocalsInScope();
        AddDocumentNames();
        AddPopularDeclarations();
    }

    /// <summary>
    /// Chooses what the cursor is analysed in (<see cref="CursorBinding"/>) and splits the window around it by the model
    /// that can bind each part: the edited text by the speculative model, the rest of the window by the compiled tree's,
    /// where the text is the same and whose bindings last from one keystroke to the next; and for a graft, the other
    /// bodies of the open document in the window, each by a model of its own.
    /// </summary>
    private IReadOnlyList<WindowSegment> Bind()
    {
        var segments = BindCursor();
        if (_graft is not { } graft) return segments;
        // The graft holds one body; the other bodies around the cursor are in the open document, each bound in place of its empty one.
        var open = graft.OpenText;
        var window = Window(open, _cursor - graft.Shift);
        int GraftLine(int position) => open.Lines.GetLineFromPosition(position).LineNumber - graft.LineShift;
        return [.. segments, .. graft.Neighbours(_snapshot.ModelFor(_document.CompiledTree!), window, _cancellationToken)
            .Select(n => new WindowSegment(n.Root, n.Span, n.Model, GraftLine))];
    }

    /// <summary>The lines from <paramref name="before"/> above <paramref name="position"/>'s to <paramref name="after"/> below it (by default the window whose names the query binds).</summary>
    private static TextSpan Window(SourceText text, int position, int before = PrefixLines, int after = SuffixLines)
    {
        int line = text.Lines.GetLineFromPosition(position).LineNumber;
        return TextSpan.FromBounds(text.Lines[Math.Max(0, line - before)].Start, text.Lines[Math.Min(text.Lines.Count - 1, line + after)].End);
    }

    private IReadOnlyList<WindowSegment> BindCursor()
    {
        var text = _text;
        var window = Window(text, _cursor);
        int EditedLine(int position) => text.Lines.GetLineFromPosition(position).LineNumber;

        var binding = CursorBinding.For(_snapshot, _document, _cursor, _cancellationToken);
        _binding = binding;
        (_root, _position, _model, _speculated, _) = binding;
        (_scopeModel, _scopePosition) = (_model, _position);
        var edit = _document.Edit;
        if (edit is null || binding.Root.SyntaxTree == _document.Tree && binding.Speculated is null)
            return [new WindowSegment(_root, window, _model, EditedLine)];

        var compiledTree = _document.CompiledTree!;
        var compiledModel = _snapshot.ModelFor(compiledTree);
        var compiledRoot = compiledTree.GetRoot(_cancellationToken);
        var compiledText = compiledTree.GetText(_cancellationToken);
        int lineShift = text.Lines.Count - compiledText.Lines.Count;
        int CompiledLine(int position) => compiledText.Lines.GetLineFromPosition(position).LineNumber + (position >= edit.CompiledChangeEnd ? lineShift : 0);
        if (binding.Speculated is not { } speculated)
        {
            // Outside the edited member the compiled tree has the same text; its old text of the edit is left out.
            int start = edit.ToCompiled(window.Start), end = edit.ToCompiled(window.End);
            return new[]
            {
                new WindowSegment(compiledRoot, Span(start, Math.Min(end, edit.ChangeStart)), compiledModel, CompiledLine),
                new WindowSegment(compiledRoot, Span(Math.Max(start, edit.CompiledChangeEnd), end), compiledModel, CompiledLine),
            }.Where(s => !s.Span.IsEmpty).ToArray();
        }
        // Only the edit needs the speculative model. Around it the compiled tree has the same text, and the compiled
        // model keeps what it bound from one keystroke to the next; before the edit both trees have the same positions,
        // after it they differ by the edit's delta. Lookups at the cursor ask the compiled scope where the edit starts
        // (among declarations, the type's): what the edit itself declares (locals, lambda parameters) never leads to
        // another file's declaration.
        (_scopeModel, _scopePosition) = (compiledModel, binding.AloneAt ?? Math.Min(_cursor, edit.ChangeStart));
        return new[]
        {
            new WindowSegment(compiledRoot, Span(window.Start, Math.Min(window.End, edit.ChangeStart)), compiledModel, CompiledLine),
            new WindowSegment(_root, Span(Math.Max(window.Start, edit.ChangeStart), Math.Min(window.End, edit.EditedChangeEnd)), _model, EditedLine, binding.AloneAt is not null),
            new WindowSegment(compiledRoot, Span(Math.Max(edit.EditedChangeEnd, window.Start) - edit.Delta, window.End - edit.Delta), compiledModel, CompiledLine),
        }.Where(s => !s.Span.IsEmpty).ToArray();
    }

    /// <summary>
    /// <paramref name="node"/> of the analysed tree in a tree and model that bind it: itself where it touches the edit
    /// (only <see cref="_model"/> knows that text), else the compiled tree's node of the same text, bound once for every
    /// keystroke; null when no such node exists, or the node is in declarations being edited (see <see cref="Alone"/>).
    /// </summary>
    private (SemanticModel Model, SyntaxNode Node)? Bindable(SyntaxNode node)
    {
        if (_speculated is not { } speculated) return (_model, node);
        var edit = _document.Edit!;
        int start = node.SpanStart, end = node.Span.End;
        if (edit.Touches(node.Span) && speculated.Contains(node.Span)) return _binding.AloneAt is null ? (_model, node) : null;
        int? ToCompiled(int position) => position <= edit.ChangeStart ? position : position >= edit.EditedChangeEnd ? position - edit.Delta : null;
        if (ToCompiled(start) is not { } compiledStart || ToCompiled(end) is not { } compiledEnd) return null;
        var compiled = TextSpan.FromBounds(compiledStart, compiledEnd);
        var found = _document.CompiledTree!.GetRoot(_cancellationToken).FindNode(compiled, getInnermostNodeForTie: true)
            .AncestorsAndSelf().FirstOrDefault(n => n.Span == compiled && n.RawKind == node.RawKind);
        return found is null ? null : (_snapshot.ModelFor(_document.CompiledTree!), found);
    }

    /// <summary>
    /// <paramref name="node"/> when it is an expression of declarations being edited, which the cursor's binding binds
    /// alone in the type's scope in the compiled tree (<see cref="CursorBinding.AloneAt"/>); null otherwise.
    /// </summary>
    private ExpressionSyntax? Alone(SyntaxNode node) =>
        _binding.AloneAt is not null && node is ExpressionSyntax expression && _document.Edit!.Touches(node.Span)
            ? expression
            : null;

    private TypeInfo TypeInfoOf(SyntaxNode node) =>
        Alone(node) is { } expression ? _binding.TypeInfo(expression, _cancellationToken)
        : Bindable(node) is ({ } model, { } bound) ? model.GetTypeInfo(bound, _cancellationToken) : default;

    private SymbolInfo SymbolInfoOf(SyntaxNode node) =>
        Alone(node) is { } expression ? _binding.SymbolInfo(expression, _cancellationToken)
        : Bindable(node) is ({ } model, { } bound) ? model.GetSymbolInfo(bound, _cancellationToken) : default;

    private static TextSpan Span(int start, int end) => end <= start ? default : TextSpan.FromBounds(start, end);

    /// <summary>The expression before the dot the cursor follows (<c>x.</c>, <c>x?.</c>, <c>Namespace.</c>).</summary>
    private static SyntaxNode? Receiver(SyntaxToken dot) => dot.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Expression,
        QualifiedNameSyntax qualified => qualified.Left,
        MemberBindingExpressionSyntax binding => binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression,
        _ => null,
    };

    private void AddReceiverMembers(SyntaxNode receiver, string typedPrefix)
    {
        var symbolInfo = SymbolInfoOf(receiver);
        var symbol = symbolInfo.Symbol ?? symbolInfo.CandidateSymbols.FirstOrDefault();
        IEnumerable<ISymbol> members;
        ITypeSymbol? type;
        bool instance = false;
        if (symbol is INamespaceSymbol ns)
        {
            members = ns.GetTypeMembers();
            type = null;
        }
        else if (symbol is INamedTypeSymbol staticType)
        {
            members = _scopeModel.LookupStaticMembers(_scopePosition, staticType);
            type = staticType;
        }
        else
        {
            type = TypeInfoOf(receiver).Type ?? TypeOf(symbol);
            if (type is null or IErrorTypeSymbol) type = TypeByName(receiver) ?? type;
            if (type is null) return;
            members = type is IErrorTypeSymbol ? [] : _scopeModel.LookupSymbols(_scopePosition, type, includeReducedExtensionMethods: true)
                .Where(m => !m.IsStatic || m is IMethodSymbol { ReducedFrom: not null });
            instance = true;
        }

        // An enum's signature lists its members: one cheap item instead of one per member.
        bool listed = type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumeration && AddEnumListing(enumeration);
        if (type is not null && !listed) AddSymbol(type, 130, "type");
        var expected = ExpectedTypes(receiver.Parent);
        foreach (var member in members)
        {
            if (listed && member is IFieldSymbol { ContainingType.TypeKind: TypeKind.Enum }) continue;
            AddSymbol(member, ReceiverMemberScore(member.Name, typedPrefix) + (Fits(TypeOf(member), expected) ? 20 : 0)
                + (SymbolEqualityComparer.Default.Equals(member.ContainingType, type) ? 1 : 0), "receiverMember");
        }
        if (instance) AddExtensionsByName(type!, typedPrefix);
    }

    /// <summary>
    /// 100 and up: a receiver's member, ranked by what is typed after the dot and by how often this document, and less
    /// the repository, uses its name. Not capped: a static class with hundreds of members and overloads fits only in
    /// part, and usage is what tells its everyday members from the rest.
    /// </summary>
    private double ReceiverMemberScore(string name, string typedPrefix)
    {
        double usage = 3 * Math.Log2(1 + _document.IdentifierCounts.GetValueOrDefault(name)) + 1.5 * Math.Log2(1 + _facts.NameCount(name));
        bool typed = typedPrefix.Length > 0 && name.StartsWith(typedPrefix, StringComparison.OrdinalIgnoreCase);
        return 100 + usage + (typed ? 40 : 0) + (WindowNames.Contains(name) ? 20 : 0);
    }

    /// <summary>The identifiers in the lines around the cursor: a member named there (the enclosing method's own name, a sibling call) is likelier.</summary>
    private HashSet<string> WindowNames => _windowNames ??= NamesAround(PrefixLines, SuffixLines);

    private HashSet<string>? _windowNames;

    private HashSet<string> NamesAround(int before, int after)
    {
        var names = new List<string>();
        Identifiers.Split(_text.ToString(Window(_text, _cursor, before, after)), names);
        return names.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The enum's declarations with every member named (up to <see cref="Signatures.MaxReceiverEnumLength"/>); false
    /// when it has none in the workspace or lists only part of its members, which are then offered one by one.
    /// </summary>
    private bool AddEnumListing(INamedTypeSymbol enumeration)
    {
        var declarations = _snapshot.DeclarationsOf(enumeration.OriginalDefinition, _cancellationToken);
        if (declarations.Length == 0) return false;
        bool complete = true;
        var names = enumeration.GetMembers().OfType<IFieldSymbol>().Select(f => f.Name).ToArray();
        foreach (var (path, declaration) in declarations)
        {
            var listing = declaration;
            if (!Signatures.ListsAllMembers(declaration.Text))
            {
                int header = declaration.Text.LastIndexOf(" { ", StringComparison.Ordinal);
                var text = new System.Text.StringBuilder(declaration.Text, 0, header, Signatures.MaxReceiverEnumLength + header);
                Signatures.AppendEnumMembers(text, names, Signatures.MaxReceiverEnumLength);
                listing = declaration with { Text = text.ToString() };
            }
            complete &= Signatures.ListsAllMembers(listing.Text);
            AddCandidate(path, listing, 130, "type");
        }
        return complete;
    }

    /// <summary>
    /// Extension methods the repository declares for the receiver's type or its bases, by name: those whose namespace
    /// the document does not import yet, and those of types the compilation cannot bind (a package it lacks, such as
    /// a generic builder extended in another project).
    /// </summary>
    private void AddExtensionsByName(ITypeSymbol type, string typedPrefix)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { type.Name };
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType) names.Add(baseType.Name);
        foreach (var @interface in type.AllInterfaces) names.Add(@interface.Name);
        foreach (var name in names)
        {
            if (name.Length == 0 || !_facts.ExtensionsByTypeName.TryGetValue(name, out var extensions)) continue;
            foreach (var (source, declaration) in extensions)
            {
                if (IsCurrent(source)) AddCandidate(source.Path, declaration, ReceiverMemberScore(declaration.Name, typedPrefix) - 2, "receiverMember");
            }
        }
    }

    /// <summary>
    /// The types the code around a member access expects of it, from what is left of the line: the declared
    /// variable, the assignment's target, the parameter an argument goes to (of every overload), the other side of a
    /// comparison, a condition or negation (bool), a return statement or expression body.
    /// </summary>
    private IReadOnlyList<ITypeSymbol> ExpectedTypes(SyntaxNode? access)
    {
        // The rest of the line is unknown: climb the chain the access starts (x.A().B[0]) to what receives it.
        var expression = access;
        while (expression?.Parent is MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
               or ConditionalAccessExpressionSyntax or MemberBindingExpressionSyntax)
            expression = expression.Parent;
        ITypeSymbol? single = expression?.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } } when !declaration.Type.IsVar
                => TypeInfoOf(declaration.Type).Type,
            AssignmentExpressionSyntax assignment when assignment.Right == expression => TypeInfoOf(assignment.Left).Type,
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression } comparison when comparison.Right == expression
                => TypeInfoOf(comparison.Left).Type,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } or IfStatementSyntax or WhileStatementSyntax
                => _model.Compilation.GetSpecialType(SpecialType.System_Boolean),
            ReturnStatementSyntax or ArrowExpressionClauseSyntax => (_scopeModel.GetEnclosingSymbol(_scopePosition, _cancellationToken) as IMethodSymbol)?.ReturnType,
            _ => null,
        };
        if (single is not null) return [single];
        return expression?.Parent switch
        {
            ArgumentSyntax { Parent: BaseArgumentListSyntax { Parent: { } call } list } argument => ParameterTypes(call, list.Arguments.IndexOf(argument), argument.NameColon?.Name.Identifier.ValueText),
            AttributeArgumentSyntax { NameEquals: null, Parent: AttributeArgumentListSyntax { Parent: AttributeSyntax attribute } list } argument
                => ParameterTypes(attribute, list.Arguments.IndexOf(argument), argument.NameColon?.Name.Identifier.ValueText),
            _ => [],
        };
    }

    /// <summary>The types of the parameter at <paramref name="index"/> (or named so) of every method the call may bind to.</summary>
    private IReadOnlyList<ITypeSymbol> ParameterTypes(SyntaxNode call, int index, string? name)
    {
        // The line is cut after the dot: overload resolution fails, and its candidates are every overload.
        var info = SymbolInfoOf(call);
        IEnumerable<ISymbol> methods = info.Symbol is { } bound ? [bound] : info.CandidateSymbols;
        if (!methods.Any() && call is InvocationExpressionSyntax invocation && Bindable(invocation.Expression) is ({ } model, { } expression)) methods = model.GetMemberGroup(expression, _cancellationToken);
        var types = new List<ITypeSymbol>();
        foreach (var method in methods.OfType<IMethodSymbol>())
        {
            var parameter = name is not null ? method.Parameters.FirstOrDefault(p => p.Name == name)
                : index < method.Parameters.Length ? method.Parameters[index]
                : method.Parameters.LastOrDefault() is { IsParams: true } last ? last : null;
            if (parameter?.Type is { } parameterType && !types.Contains(parameterType, SymbolEqualityComparer.Default)) types.Add(parameterType);
        }
        return types;
    }

    private bool Fits(ITypeSymbol? type, IReadOnlyList<ITypeSymbol> expected)
    {
        if (type is null) return false;
        foreach (var candidate in expected)
        {
            if (Fits(type, candidate)) return true;
        }
        return false;
    }

    // Types from assemblies we do not reference are error types: their names are all there is to compare.
    private bool Fits(ITypeSymbol type, ITypeSymbol expected) =>
        SymbolEqualityComparer.Default.Equals(type, expected)
        || (type is IErrorTypeSymbol || expected is IErrorTypeSymbol) && type.Name == expected.Name && type.Name.Length > 0
        || _model.Compilation.ClassifyConversion(type, expected) is { IsImplicit: true, IsReference: true };

    /// <summary>When the receiver does not bind (a missing reference), a source type of the same name stands in.</summary>
    private ITypeSymbol? TypeByName(SyntaxNode receiver)
    {
        string? name = receiver.DescendantTokens().LastOrDefault(t => t.IsKind(SyntaxKind.IdentifierToken)).ValueText;
        if (string.IsNullOrEmpty(name)) return null;
        return _snapshot.Compilation.GetSymbolsWithName(name, SymbolFilter.Type, _cancellationToken).OfType<ITypeSymbol>().FirstOrDefault();
    }

    /// <summary>After <c>new</c>: the type the target expects, its constructors, and types matching what is typed.</summary>
    private void AddExpectedType(SyntaxToken newKeyword, string typedPrefix)
    {
        ITypeSymbol? expected = null;
        var node = newKeyword.Parent;
        if (node?.FirstAncestorOrSelf<VariableDeclarationSyntax>() is { } declaration && !declaration.Type.IsVar)
            expected = TypeInfoOf(declaration.Type).Type;
        else if (node?.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } assignment)
            expected = TypeInfoOf(assignment.Left).Type;
        if (expected is INamedTypeSymbol named)
        {
            AddSymbol(named, 120, "type");
            foreach (var constructor in named.InstanceConstructors) AddSymbol(constructor, 110, "member");
        }
        if (typedPrefix.Length > 0) AddNamesInScope(typedPrefix);
    }

    private void AddNamesInScope(string typedPrefix)
    {
        foreach (var symbol in _scopeModel.LookupSymbols(_scopePosition))
        {
            if (symbol.Name.StartsWith(typedPrefix, StringComparison.OrdinalIgnoreCase))
                AddSymbol(symbol, 90 + Popularity(symbol.Name), symbol is ITypeSymbol ? "type" : "member");
        }
    }

    /// <summary>Symbols named in the lines around the cursor, weighted by closeness; their types and containers too.</summary>
    private void AddWindowSymbols(IReadOnlyList<WindowSegment> segments)
    {
        int cursorLine = _text.Lines.GetLineFromPosition(_cursor).LineNumber;
        var weights = new Dictionary<ISymbol, double>(SymbolEqualityComparer.Default);
        var resolved = new Dictionary<string, ISymbol?>(StringComparer.Ordinal);
        // Only names that can lead to a declaration in the workspace are worth binding: those the repository
        // declares, and the locals and parameters of the member at the cursor (for their types).
        var declaredNames = _facts.DeclarationsByName;
        var localNames = LocalNames();
        foreach (var segment in segments)
        {
            foreach (var node in segment.Root.DescendantNodes(segment.Span))
            {
                if (node is not SimpleNameSyntax name || !segment.Span.Contains(node.SpanStart)) continue;
                string identifier = name.Identifier.ValueText;
                if (!declaredNames.ContainsKey(identifier) && !localNames.Contains(identifier)) continue;
                int line = segment.LineOf(node.SpanStart);
                int distance = Math.Abs(line - cursorLine);
                double proximity = (line > cursorLine ? 0.8 : 1.0) / (1 + distance / 4.0);
                // A name seen again in the window almost always means the same symbol; not binding it again
                // skips binding whole statements, which is most of a query's time.
                string key = name.ToString();
                if (!resolved.TryGetValue(key, out var symbol))
                {
                    var info = SymbolInfoInWindow(segment, name);
                    resolved[key] = symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                }
                if (symbol is null) continue;
                weights[symbol] = weights.GetValueOrDefault(symbol) + proximity;
            }
        }

        foreach (var (symbol, weight) in weights)
        {
            double closeness = Math.Min(1, weight);
            switch (symbol)
            {
                case ILocalSymbol or IParameterSymbol or IRangeVariableSymbol:
                    if (TypeOf(symbol) is { } localType)
                    {
                        AddType(localType, 30 + 20 * closeness);
                        AddUsedMembers(localType, 5);
                    }
                    break;
                case ITypeSymbol type:
                    AddType(type, 40 + 20 * closeness);
                    AddUsedMembers(type, 0);
                    break;
                case IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol:
                    AddSymbol(symbol, 40 + 20 * closeness, "member");
                    if (symbol.ContainingType is { } container) AddSymbol(container, 25 + 20 * closeness, "type");
                    if (TypeOf(symbol) is { } memberType)
                    {
                        AddType(memberType, 20 + 10 * closeness);
                        AddUsedMembers(memberType, 0);
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// What <paramref name="name"/> of <paramref name="segment"/> refers to. Asked about a name, Roslyn binds the whole
    /// statement nearest it, and for a name in the header of a statement holding others (an if's condition, a switch's
    /// case label, a foreach's collection) that is the statement's whole body: 25–90 ms for a long if or switch, most of
    /// the first query in a file. There the name's own expression is bound instead, where it is, when the compiled tree
    /// holds it; in declarations being edited, in the type's scope in the compiled tree.
    /// </summary>
    private SymbolInfo SymbolInfoInWindow(WindowSegment segment, SimpleNameSyntax name)
    {
        var model = segment.Model;
        if (segment.Alone) return ExpressionAlone(name) is { } edited ? _binding.SymbolInfo(edited, _cancellationToken) : default;
        if (model.Compilation != _snapshot.Compilation || model.IsSpeculativeSemanticModel
            || name.FirstAncestorOrSelf<StatementSyntax>() is not { } statement
            || !statement.ChildNodes().Any(c => c is StatementSyntax or SwitchSectionSyntax or CatchClauseSyntax or ElseClauseSyntax))
            return model.GetSymbolInfo(name, _cancellationToken);
        return ExpressionAlone(name) is { } expression ? _snapshot.SymbolInfoAlone(expression, CursorBinding.AloneAs(expression)) : model.GetSymbolInfo(name, _cancellationToken);
    }

    /// <summary>
    /// The expression to bind alone for <paramref name="name"/>: its whole qualified name, its member access, and a
    /// call's, since a method's name alone is a group of overloads and with its arguments the one they choose. Null for
    /// <c>?.Name</c>, which binds only with its receiver.
    /// </summary>
    private static ExpressionSyntax? ExpressionAlone(SimpleNameSyntax name)
    {
        ExpressionSyntax expression = name;
        while (expression.Parent is QualifiedNameSyntax qualified && qualified.Right == expression) expression = qualified;
        if (SyntaxFacts.IsInTypeOnlyContext(expression)) return expression;
        if (expression.Parent is MemberBindingExpressionSyntax) return null;
        if (expression.Parent is MemberAccessExpressionSyntax access && access.Name == expression) expression = access;
        if (expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression) expression = invocation;
        return expression;
    }

    private HashSet<string> LocalNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var member = _root.FindToken(_position).Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        foreach (var node in member?.DescendantNodes() ?? [])
        {
            var identifier = node switch
            {
                VariableDeclaratorSyntax variable => variable.Identifier,
                ParameterSyntax parameter => parameter.Identifier,
                ForEachStatementSyntax forEach => forEach.Identifier,
                SingleVariableDesignationSyntax designation => designation.Identifier,
                CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier,
                _ => default,
            };
            if (identifier.ValueText.Length > 0) names.Add(identifier.ValueText);
        }
        return names;
    }

    /// <summary>Members of a variable's type: the hidden code may call any, most likely those this document already uses.</summary>
    private void AddUsedMembers(ITypeSymbol type, double score)
    {
        if (type is not INamedTypeSymbol named || named.DeclaringSyntaxReferences.IsEmpty) return;
        foreach (var member in _snapshot.MembersOf(named.OriginalDefinition))
        {
            if (!member.IsImplicitlyDeclared && member is not INamedTypeSymbol) AddSymbol(member, score + Popularity(member.Name), "member");
        }
    }

    /// <summary>
    /// Declarations elsewhere whose names this document uses, matched by name without binding: code tends to use
    /// again what its file already uses. Names declared in many places say too little and are left out.
    /// </summary>
    private void AddDocumentNames()
    {
        const int MaxDeclarations = 6;
        const int NearLines = 60;
        var counts = _document.IdentifierCounts;
        var byName = _facts.DeclarationsByName;
        // Names used within a screen or two of the cursor weigh more than names used anywhere in the file.
        var nearNames = NamesAround(NearLines, NearLines / 3);
        foreach (var (name, count) in counts)
        {
            if (!byName.TryGetValue(name, out var declarations) || declarations.Count > MaxDeclarations) continue;
            foreach (var (source, declaration) in declarations)
            {
                double score = 10 + Math.Min(14, 4 * Math.Log2(1 + count)) + (nearNames.Contains(name) ? 8 : 0);
                if (declaration.Container is { } container) score += counts.ContainsKey(container) ? 4 : -4;
                AddIndexedCandidate(source, declaration, score);
            }
        }
    }

    /// <summary>The repository's most used types and members, below everything tied to the cursor.</summary>
    private void AddPopularDeclarations()
    {
        var popular = _facts.PopularDeclarations;
        for (int rank = 0; rank < popular.Count; rank++)
        {
            var (source, declaration) = popular[rank];
            AddIndexedCandidate(source, declaration, 8 - 5.0 * rank / popular.Count);
        }
    }

    /// <summary>
    /// A declaration from the repository facts, which may lag: skipped when its file has changed on disk since
    /// (an open document's earlier text is tolerated, as its edits keep the facts).
    /// </summary>
    private void AddIndexedCandidate(SourceDocument source, Declaration declaration, double score)
    {
        if (!IsCurrent(source)) return;
        AddCandidate(source.Path, declaration, score, declaration.IsType ? "type" : "member");
    }

    /// <summary>The enclosing type's base types and interfaces, and its parts declared in other files.</summary>
    private void AddEnclosingType()
    {
        var enclosing = _scopeModel.GetEnclosingSymbol(_scopePosition, _cancellationToken);
        var type = enclosing as INamedTypeSymbol ?? enclosing?.ContainingType;
        if (type is null) return;
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            AddSymbol(baseType, 35, "type");
            AddMembers(baseType, 8);
        }
        foreach (var @interface in type.AllInterfaces) AddSymbol(@interface, 30, "type");
        AddMembers(type, 10);
    }

    /// <summary>Types of the locals and parameters declared before the cursor in the enclosing members.</summary>
    private void AddLocalsInScope()
    {
        var token = _root.FindToken(Math.Max(0, _position - 1));
        foreach (var ancestor in token.Parent?.AncestorsAndSelf() ?? [])
        {
            IEnumerable<SyntaxNode> declared = ancestor switch
            {
                BaseMethodDeclarationSyntax method => method.ParameterList.Parameters,
                LocalFunctionStatementSyntax function => function.ParameterList.Parameters,
                ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters,
                BlockSyntax block => block.Statements.TakeWhile(s => s.SpanStart < _position)
                    .OfType<LocalDeclarationStatementSyntax>().SelectMany(s => s.Declaration.Variables),
                ForEachStatementSyntax forEach => [forEach],
                UsingStatementSyntax { Declaration: { } declaration } => declaration.Variables,
                ForStatementSyntax { Declaration: { } declaration } => declaration.Variables,
                _ => [],
            };
            foreach (var node in declared)
            {
                if (Bindable(node) is ({ } model, { } bound) && TypeOf(model.GetDeclaredSymbol(bound, _cancellationToken)) is { } type) AddType(type, 20);
            }
            if (ancestor is MemberDeclarationSyntax) break;
        }
    }

    private void AddType(ITypeSymbol type, double score)
    {
        switch (type)
        {
            case IArrayTypeSymbol array: AddType(array.ElementType, score); break;
            case INamedTypeSymbol named:
                AddSymbol(named, score, "type");
                foreach (var argument in named.TypeArguments) AddType(argument, score * 0.8);
                break;
        }
    }

    private void AddMembers(INamedTypeSymbol type, double score)
    {
        // In no particular order: candidates are ranked by score.
        foreach (var member in _snapshot.MembersOf(type))
        {
            if (!member.IsImplicitlyDeclared) AddSymbol(member, score + Popularity(member.Name) / 4, "member");
        }
    }

    private static ITypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IEventSymbol @event => @event.Type,
        IMethodSymbol { MethodKind: not MethodKind.Constructor } method => method.ReturnType,
        _ => null,
    };

    /// <summary>0..20: how often the name is used in this document and, less, in the repository.</summary>
    private double Popularity(string name)
    {
        int inDocument = _document.IdentifierCounts.GetValueOrDefault(name);
        int inRepository = _facts.NameCount(name);
        return Math.Min(12, 4 * Math.Log2(1 + inDocument)) + Math.Min(8, Math.Log2(1 + inRepository));
    }

    private void AddSymbol(ISymbol symbol, double score, string kind)
    {
        if (symbol is IMethodSymbol { ReducedFrom: { } extension }) symbol = extension;
        symbol = symbol.OriginalDefinition;
        if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: true }) symbol = symbol.ContainingType;
        if (symbol is IMethodSymbol { AssociatedSymbol: { } associated }) symbol = associated; // accessors stand for their property
        // The document's own declarations are no candidates (see AddCandidate).
        var declarations = _snapshot.DeclarationsOf(symbol, _cancellationToken, unlessOnlyIn: _document.Path);
        // A type declared in dozens of partial files needs one header, not dozens: any part names it.
        int count = symbol is INamedTypeSymbol ? Math.Min(MaxTypeParts, declarations.Length) : declarations.Length;
        for (int i = 0; i < count; i++) AddCandidate(declarations[i].Path, declarations[i].Declaration, score, kind);
    }

    /// <summary>Whether the snapshot still has this version of the file, or the client has it open.</summary>
    private bool IsCurrent(SourceDocument indexed) =>
        _snapshot.Documents.TryGetValue(indexed.Path, out var current)
        && (current == indexed || current.IsOpen || current.Stamp is not null && current.Stamp == indexed.Stamp);

    private void AddCandidate(string path, Declaration declaration, double score, string kind)
    {
        if (path == _document.Path || !_snapshot.Documents.TryGetValue(path, out var source) || !source.IsContextSource) return;
        var key = (path, declaration.Start);
        if (!_candidates.TryGetValue(key, out var existing) || existing.Score < score)
            _candidates[key] = new Candidate(path, declaration, kind, score);
    }

    private int Pack(List<ContextItem> items, int budget, Func<string, int> countTokens)
    {
        int used = 0;
        var ranked = WithOverloadsGrouped(_candidates.Values)
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Path, StringComparer.Ordinal)
            .ThenBy(c => c.Declaration.Start);
        foreach (var candidate in ranked)
        {
            if (budget - used < MinItemTokens) break;
            _cancellationToken.ThrowIfCancellationRequested();
            var declaration = candidate.Declaration;
            int cost = countTokens(declaration.Text);
            if (used + cost > budget) continue;
            items.Add(new ContextItem(candidate.Path, declaration.Range, candidate.Kind, declaration.Text));
            used += cost;
        }
        return used;
    }

    /// <summary>
    /// The candidates with a receiver's overloads declared in the same file merged into one item, best first, ranked
    /// by the best of them; its range spans them all. Overloads past <see cref="MaxOverloadGroupLength"/> stay alone.
    /// </summary>
    private static IEnumerable<Candidate> WithOverloadsGrouped(IEnumerable<Candidate> candidates)
    {
        var members = new List<Candidate>();
        foreach (var candidate in candidates)
        {
            if (candidate.Kind == "receiverMember" && !candidate.Declaration.IsType) members.Add(candidate);
            else yield return candidate;
        }
        foreach (var group in members.GroupBy(c => (c.Path, c.Declaration.Parent, c.Declaration.Name)))
        {
            if (group.Count() == 1)
            {
                yield return group.First();
                continue;
            }
            var ordered = group.OrderByDescending(c => c.Score).ThenBy(c => c.Declaration.Start).ToList();
            var first = ordered[0];
            var text = new System.Text.StringBuilder(first.Declaration.Text);
            var range = first.Declaration.Range;
            foreach (var overload in ordered.Skip(1))
            {
                string parameters = ParametersOf(overload.Declaration);
                if (text.Length + 3 + parameters.Length > MaxOverloadGroupLength)
                {
                    yield return overload;
                    continue;
                }
                text.Append("\n  ").Append(parameters);
                range = Union(range, overload.Declaration.Range);
            }
            yield return first with { Declaration = first.Declaration with { Text = text.ToString(), Range = range } };
        }
    }

    /// <summary>An overload's signature from its name on (<c>Add(int x, int y)</c>), without its doc line, modifiers and return type.</summary>
    private static string ParametersOf(Declaration declaration)
    {
        string text = declaration.Text;
        int signature = text.StartsWith("///", StringComparison.Ordinal) && text.IndexOf('\n') is >= 0 and var newline ? newline + 1 : 0;
        for (int at = text.IndexOf(declaration.Name, signature, StringComparison.Ordinal); at >= 0; at = text.IndexOf(declaration.Name, at + 1, StringComparison.Ordinal))
        {
            int after = at + declaration.Name.Length;
            if ((at == 0 || !SyntaxFacts.IsIdentifierPartCharacter(text[at - 1])) && after < text.Length && text[after] is '(' or '<')
                return text[at..];
        }
        return text[signature..];
    }

    private static SourceSpan Union(SourceSpan a, SourceSpan b)
    {
        bool aStarts = (a.StartLine, a.StartCharacter).CompareTo((b.StartLine, b.StartCharacter)) <= 0;
        bool aEnds = (a.EndLine, a.EndCharacter).CompareTo((b.EndLine, b.EndCharacter)) >= 0;
        return new SourceSpan(aStarts ? a.StartLine : b.StartLine, aStarts ? a.StartCharacter : b.StartCharacter,
            aEnds ? a.EndLine : b.EndLine, aEnds ? a.EndCharacter : b.EndCharacter);
    }

    /// <summary>Signatures of the types the repository names most often, for long windows.</summary>
    private int PackRepositoryMap(List<ContextItem> items, int budget, Func<string, int> countTokens)
    {
        var taken = items.Select(i => (i.Path, i.Range.StartLine)).ToHashSet();
        var types = _snapshot.Documents.Values
            .Where(d => d.IsContextSource && d.Path != _document.Path)
            .SelectMany(d => d.Declarations.Where(x => x.IsType).Select(x => (d.Path, Declaration: x)))
            .OrderByDescending(t => _facts.NameCount(t.Declaration.Name))
            .ThenBy(t => t.Path, StringComparer.Ordinal)
            .ThenBy(t => t.Declaration.Start);
        int used = 0;
        foreach (var (path, declaration) in types)
        {
            if (budget - used < MinItemTokens) break;
            if (taken.Contains((path, declaration.Range.StartLine))) continue;
            int cost = countTokens(declaration.Text);
            if (used + cost > budget) continue;
            items.Add(new ContextItem(path, declaration.Range, "repositoryMap", declaration.Text));
            used += cost;
        }
        return used;
    }
}
