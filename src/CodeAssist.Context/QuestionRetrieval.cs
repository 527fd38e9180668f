using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// One retrieval for a question. Candidates come in tiers so that the strongest evidence wins whatever the lexical scores:
/// the declarations of symbols the question names (Roslyn resolves the names; the whole declaration, body included, since
/// the question is about what it does), then where they are used (first when the question asks where), then what the
/// selection uses and sits in, then BM25 windows for the question's words, and the repository map last.
/// </summary>
internal sealed partial class QuestionRetrieval
{
    private const int MaxNamedSymbols = 16;
    private const int MaxUsages = 24;
    private const int MaxUsageFiles = 48;
    private const int UsageContextLines = 2;
    private const int RepositoryMapBudget = 32 * 1024;
    private const int MinItemTokens = 8;

    private readonly WorkspaceSnapshot _snapshot;
    private readonly RepositoryFacts _facts;
    private readonly SourceDocument? _document;
    private readonly SourceText? _text;
    private readonly TextSpan _selection;
    private readonly Question _question;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<(string Path, int StartLine, int EndLine), Candidate> _candidates = [];
    // Whole files parsed for this question, to cut full declarations out of files compiled without their bodies.
    private readonly Dictionary<string, SyntaxTree?> _parsed = new(StringComparer.Ordinal);

    /// <param name="Whole">Whether the text is the range's source (a declaration in full, a window), not a signature or outline standing for it.</param>
    private sealed record Candidate(string Path, SourceSpan Range, string Kind, string Reason, string Text, double Score, bool Whole = false);

    private QuestionRetrieval(WorkspaceSnapshot snapshot, SourceDocument? document, SourceText? text, Question question, CancellationToken cancellationToken)
    {
        _snapshot = snapshot;
        _facts = snapshot.Facts.Value;
        _document = document;
        _text = text;
        _question = question;
        _cancellationToken = cancellationToken;
        if (text is not null)
        {
            int start = Math.Clamp(Math.Min(question.SelectionStart, question.SelectionEnd), 0, text.Length);
            int end = Math.Clamp(Math.Max(question.SelectionStart, question.SelectionEnd), 0, text.Length);
            _selection = TextSpan.FromBounds(start, end);
        }
    }

    public static QuestionContext Run(WorkspaceSnapshot snapshot, SourceDocument? document, SourceText? text, Question question, int budgetTokens,
        Func<string, int> countTokens, Action<string> log, CancellationToken cancellationToken)
    {
        var retrieval = new QuestionRetrieval(snapshot, document, text, question, cancellationToken);
        if (!question.LexicalOnly)
        {
            try
            {
                retrieval.AddNamed(budgetTokens, countTokens);
                retrieval.AddSelection();
            }
            catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
            {
                // A failure of ours or Roslyn's must not cost the user the answer: the lexical windows still fit.
                log($"semantic question context failed; answering lexically: {exception}");
                retrieval._candidates.Clear();
            }
        }
        var items = new List<(Candidate Candidate, int Tokens)>();
        var taken = new Dictionary<string, List<(int Start, int End)>>(StringComparer.Ordinal);
        int used = retrieval.Pack(retrieval._candidates.Values, items, taken, budgetTokens, countTokens);
        if (!question.LexicalOnly && budgetTokens >= RepositoryMapBudget)
            used += retrieval.Pack(retrieval.RepositoryMap(), items, taken, Math.Min(budgetTokens - used, budgetTokens / 8), countTokens);
        used += retrieval.Pack(retrieval.Lexical(budgetTokens - used), items, taken, budgetTokens - used, countTokens);
        var ordered = items.OrderByDescending(i => i.Candidate.Score).ThenBy(i => i.Candidate.Path, StringComparer.Ordinal).ThenBy(i => i.Candidate.Range.StartLine)
            .Select(i => new QuestionItem(i.Candidate.Path, i.Candidate.Range, i.Candidate.Kind, i.Candidate.Reason, i.Candidate.Text))
            .ToArray();
        return new QuestionContext(ordered, used);
    }

    /// <summary>Greedy, best first: what does not fit is skipped, and what repeats lines already taken is left out.</summary>
    private int Pack(IEnumerable<Candidate> candidates, List<(Candidate, int)> items, Dictionary<string, List<(int Start, int End)>> taken, int budget,
        Func<string, int> countTokens)
    {
        int used = 0;
        foreach (var candidate in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Range.StartLine))
        {
            if (budget - used < MinItemTokens) break;
            _cancellationToken.ThrowIfCancellationRequested();
            var lines = taken.GetValueOrDefault(candidate.Path);
            var (start, end) = (candidate.Range.StartLine, candidate.Range.EndLine);
            // Only text shown whole hides what it contains: a window must not repeat its lines, nor a declaration sit inside it.
            // A signature stands for a range it does not show, so it hides nothing.
            bool repeats = candidate.Kind is "lexical" or "usage"
                ? lines?.Any(t => t.Start <= end && start <= t.End) == true
                : lines?.Any(t => t.Start <= start && end <= t.End) == true;
            if (repeats) continue;
            int cost = countTokens(candidate.Text);
            if (used + cost > budget) continue;
            items.Add((candidate, cost));
            used += cost;
            if (candidate.Whole)
            {
                if (lines is null) taken[candidate.Path] = lines = [];
                lines.Add((start, end));
            }
        }
        return used;
    }

    private void Add(Candidate candidate)
    {
        if (!_snapshot.Documents.TryGetValue(candidate.Path, out var source) || !source.IsContextSource) return;
        // The selection is in the prompt already.
        if (_document is not null && candidate.Path == _document.Path && _text is not null && !_selection.IsEmpty && Overlaps(candidate.Range, _text, _selection)) return;
        var key = (candidate.Path, candidate.Range.StartLine, candidate.Range.EndLine);
        if (!_candidates.TryGetValue(key, out var existing) || existing.Score < candidate.Score) _candidates[key] = candidate;
    }

    private static bool Overlaps(SourceSpan range, SourceText text, TextSpan span)
    {
        var lines = text.Lines.GetLinePositionSpan(span);
        int lastLine = span.Length > 0 && lines.End.Character == 0 && lines.End.Line > lines.Start.Line ? lines.End.Line - 1 : lines.End.Line;
        return range.StartLine <= lastLine && lines.Start.Line <= range.EndLine;
    }

    // ── Symbols the question names ──────────────────────────────────────────────────────────────────────────────

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::|#)[A-Za-z_][A-Za-z0-9_]*)*")]
    private static partial Regex NameChain();

    private static readonly HashSet<string> s_usageWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "where", "used", "uses", "use", "using", "usage", "usages", "call", "calls", "called", "caller", "callers", "calling",
        "reference", "references", "referenced", "who", "invoked", "invokes",
    };

    /// <summary>A name the question mentions, how sure we are it means a declaration, and the container it was qualified with.</summary>
    /// <param name="Words">How many words written apart it joins (1 for a single word or code).</param>
    private sealed record NamedMention(string Name, string? Container, bool CodeLike, int Words, double Score, string Source);

    private void AddNamed(int budgetTokens, Func<string, int> countTokens)
    {
        var mentions = new List<NamedMention>();
        Mentions(_question.Text, 0, "named in the question", mentions);
        foreach (var turn in _question.EarlierTurns) Mentions(turn, -250, "named earlier in the conversation", mentions);
        if (mentions.Count == 0) return;
        bool asksWhere = Words(_question.Text).Any(s_usageWords.Contains);
        // A whole declaration may take a third of the budget (an eighth when the question is where it is used, not what it
        // does); larger ones are shown as an outline or cut.
        int fullLimit = Math.Max(256, budgetTokens / (asksWhere ? 8 : 3));
        var symbols = new Dictionary<ISymbol, (double Score, string Source)>(SymbolEqualityComparer.Default);
        foreach (var mention in mentions.OrderByDescending(m => m.Score).ThenBy(m => m.Name, StringComparer.Ordinal))
        {
            var found = Resolve(mention);
            foreach (var symbol in found)
            {
                // A name declared in many places says less about each of them.
                double score = mention.Score - 8 * Math.Min(10, found.Count - 1);
                if (!symbols.TryGetValue(symbol, out var known) || known.Score < score) symbols[symbol] = (score, mention.Source);
            }
        }
        // "Where is find column of the ace main window used": a member whose type is named too is surely the one meant, and
        // the type is then its setting, not the answer.
        var types = symbols.Keys.OfType<INamedTypeSymbol>().ToHashSet(SymbolEqualityComparer.Default);
        var settings = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var symbol in symbols.Keys.ToArray())
        {
            for (var container = symbol.ContainingType; container is not null; container = container.ContainingType)
            {
                if (!types.Contains(container.OriginalDefinition)) continue;
                symbols[symbol] = (symbols[symbol].Score + 150, symbols[symbol].Source);
                settings.Add(container.OriginalDefinition);
            }
        }
        foreach (var setting in settings) symbols[setting] = (symbols[setting].Score - 400, symbols[setting].Source);

        var ranked = symbols.OrderByDescending(s => s.Value.Score).ThenBy(s => s.Key.ToDisplayString(), StringComparer.Ordinal).Take(MaxNamedSymbols).ToArray();
        int rank = 0;
        foreach (var (symbol, (score, source)) in ranked)
        {
            foreach (var (path, declaration) in _snapshot.DeclarationsOf(symbol, _cancellationToken))
            {
                if (!_snapshot.Documents.TryGetValue(path, out var document)) continue;
                string reason = $"declares {Describe(declaration)}, {source}";
                if (Whole(document, declaration, fullLimit, countTokens) is { } whole)
                    Add(new Candidate(path, whole.Range, "named", reason, whole.Text, score, whole.Whole));
            }
            // Uses only of what the question surely names, and ranked with the lexical windows unless it asks where.
            if (score >= StrongMention && !settings.Contains(symbol) && rank++ < 4) AddUsages(symbol, asksWhere ? score - 20 : 140 - rank);
        }
    }

    private const double StrongMention = 800;

    private static void Mentions(string text, double bonus, string source, List<NamedMention> mentions)
    {
        foreach (Match match in NameChain().Matches(text))
        {
            var parts = match.Value.Split(['.', ':', '#'], StringSplitOptions.RemoveEmptyEntries);
            string name = parts[^1];
            string? container = parts.Length > 1 ? parts[^2] : null;
            // Code-like spelling (PascalCase, camelCase, snake_case, qualified) is surely a symbol; a plain word may be one,
            // weakly: it ranks below what a selection uses.
            bool codeLike = parts.Length > 1 || name.Skip(1).Any(char.IsUpper) || name.Contains('_') || char.IsUpper(name[0]) && match.Index > 0;
            mentions.Add(new NamedMention(name, container, codeLike, 1, (codeLike ? 1000 : 560) + bonus, source));
        }
        // Words written apart may name one symbol: "lending service" → LendingService, "add or remove tags" →
        // AddOrRemoveTags; the more words, the surer.
        var words = Words(text).ToArray();
        for (int length = 2; length <= 8; length++)
        {
            for (int i = 0; i + length <= words.Length; i++)
                mentions.Add(new NamedMention(string.Concat(words.Skip(i).Take(length)), null, false, length, 800 + 20 * length + bonus, source));
        }
    }

    private static IEnumerable<string> Words(string text) => Regex.Split(text, @"[^A-Za-z0-9_]+").Where(w => w.Length > 0);

    /// <summary>The source symbols a mention names: exact spelling first, else any casing (for plain words, only distinctive ones).</summary>
    private List<ISymbol> Resolve(NamedMention mention)
    {
        IReadOnlyList<string> names = _facts.DeclarationsByName.ContainsKey(mention.Name) ? [mention.Name]
            : mention.Name.Length >= 4 ? QuestionWords.Of(_facts).DeclarationsIgnoringCase(mention.Name)
            : [];
        // A plain word matching many declarations' names ("item", "value") names none of them; words joined are surer.
        if (!mention.CodeLike && (Stopwords.Contains(mention.Name.ToLowerInvariant()) || names.Sum(n => _facts.DeclarationsByName[n].Count) > (mention.Words > 1 ? 12 : 3))) return [];
        var symbols = new List<ISymbol>();
        foreach (var name in names)
        {
            foreach (var symbol in _snapshot.Compilation.GetSymbolsWithName(name, SymbolFilter.TypeAndMember, _cancellationToken))
            {
                if (symbol.IsImplicitlyDeclared || symbol.DeclaringSyntaxReferences.IsEmpty) continue;
                if (mention.Container is { } container && !IsIn(symbol, container)) continue;
                symbols.Add(symbol is IMethodSymbol { AssociatedSymbol: { } property } ? property : symbol);
            }
        }
        // "Type.Member" where Type is really a namespace or an alias: fall back to the name alone.
        if (symbols.Count == 0 && mention.Container is not null) return Resolve(mention with { Container = null });
        return symbols.Distinct(SymbolEqualityComparer.Default).OrderBy(s => s.ToDisplayString(), StringComparer.Ordinal).ToList();
    }

    private static bool IsIn(ISymbol symbol, string container)
    {
        for (var type = symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.Name == container) return true;
        }
        for (var ns = symbol.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (ns.Name == container) return true;
        }
        return false;
    }

    private static string Describe(Declaration declaration) => declaration.Container is { } container ? $"{container}.{declaration.Name}" : declaration.Name;

    /// <summary>
    /// A declaration with its doc comment and body, from the file's text; a type or member too large for
    /// <paramref name="limit"/> is shown as an outline (a type: its signature and its members' signatures) or cut.
    /// </summary>
    private (SourceSpan Range, string Text, bool Whole)? Whole(SourceDocument document, Declaration declaration, int limit, Func<string, int> countTokens)
    {
        var text = document.ReadText();
        if (text is null || declaration.Range.StartLine >= text.Lines.Count) return null;
        var node = DeclarationNode(document, text, declaration);
        if (node is null) return (declaration.Range, declaration.Text, false);
        // With its comments: the index parses doc comments as plain comments, so any comment above the declaration counts.
        int start = node.SpanStart;
        foreach (var trivia in node.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
                || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                start = Math.Min(start, trivia.SpanStart);
            }
        }
        int startLine = text.Lines.GetLineFromPosition(start).LineNumber;
        int endLine = text.Lines.GetLineFromPosition(node.Span.End).LineNumber;
        string whole = LinesOf(text, startLine, endLine);
        var range = new SourceSpan(startLine, 0, endLine, text.Lines[endLine].Span.Length);
        // Counting a huge text would cost more than the answer is worth: 3 characters a token is a safe floor.
        if (whole.Length / 3 <= limit && countTokens(whole) <= limit) return (range, whole, true);
        if (declaration.IsType)
        {
            var outline = new StringBuilder(declaration.Text).Append("\n{\n");
            foreach (var member in document.Declarations.Where(m => m.Parent == declaration.Start))
            {
                if (outline.Length / 3 > limit)
                {
                    outline.Append("    // …\n");
                    break;
                }
                outline.Append("    ").Append(member.Text.Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
            }
            return (range, outline.Append('}').ToString(), false);
        }
        // A member too long to show whole: its first lines, as many as fit.
        var cut = new StringBuilder();
        for (int line = startLine; line <= endLine; line++)
        {
            string next = text.Lines[line].ToString();
            if ((cut.Length + next.Length) / 3 > limit) break;
            cut.Append(next).Append('\n');
        }
        return (range, cut.Append("    // … (cut: too long to show whole)").ToString(), false);
    }

    /// <summary>The syntax node a rendered declaration came from, in a tree of the file's current text.</summary>
    private SyntaxNode? DeclarationNode(SourceDocument document, SourceText text, Declaration declaration)
    {
        var tree = document.HasWholeTree && document.Tree!.GetText(_cancellationToken) == text ? document.Tree : ParsedTree(document.Path, text);
        if (tree is null) return null;
        int position = text.Lines.GetPosition(new LinePosition(declaration.Range.StartLine, Math.Min(declaration.Range.StartCharacter, text.Lines[declaration.Range.StartLine].Span.Length)));
        var root = tree.GetRoot(_cancellationToken);
        if (position >= root.FullSpan.End) return null;
        return root.FindToken(position).Parent?.AncestorsAndSelf()
            .FirstOrDefault(n => n is MemberDeclarationSyntax && n.SpanStart == position);
    }

    private SyntaxTree? ParsedTree(string path, SourceText text)
    {
        if (!WorkspaceFiles.IsCSharp(path)) return null;
        if (!_parsed.TryGetValue(path, out var tree))
            _parsed[path] = tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), path, _cancellationToken);
        return tree;
    }

    private static string LinesOf(SourceText text, int startLine, int endLine) =>
        text.ToString(TextSpan.FromBounds(text.Lines[startLine].Start, text.Lines[endLine].End));

    // ── Where named symbols are used ────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Uses of <paramref name="symbol"/> bound by Roslyn in the files whose text has its name, each shown as the lines
    /// around it under the signature of the member it is in. Files compiled without their bodies (large repositories)
    /// show no uses here; the lexical windows find them.
    /// </summary>
    private void AddUsages(ISymbol symbol, double score)
    {
        string name = symbol.Name;
        var target = symbol.OriginalDefinition;
        int usages = 0, files = 0;
        foreach (var run in _facts.RunsOf(name))
        {
            if (usages >= MaxUsages || files >= MaxUsageFiles) break;
            var source = _facts.Sources[run.Source];
            if (!_snapshot.Documents.TryGetValue(source.Path, out var current) || current.CompiledTree is not { } tree || tree != current.Tree || !current.HasWholeTree) continue;
            files++;
            var model = _snapshot.ModelFor(tree);
            var text = tree.GetText(_cancellationToken);
            var root = tree.GetRoot(_cancellationToken);
            foreach (var token in root.DescendantTokens())
            {
                if (usages >= MaxUsages) break;
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != name || token.Parent is not SimpleNameSyntax usage) continue;
                _cancellationToken.ThrowIfCancellationRequested();
                var info = model.GetSymbolInfo(usage, _cancellationToken);
                var bound = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (bound is IMethodSymbol { ReducedFrom: { } extension }) bound = extension;
                if (bound is IMethodSymbol { AssociatedSymbol: { } associated }) bound = associated;
                if (bound is null || !SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition, target)) continue;
                var member = usage.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax);
                var declared = member is null ? null : model.GetDeclaredSymbol(member is BaseFieldDeclarationSyntax field ? field.Declaration.Variables[0] : member, _cancellationToken);
                var declaration = declared is null ? default : _snapshot.DeclarationsOf(declared, _cancellationToken).FirstOrDefault(d => d.Path == source.Path);
                int usageLine = text.Lines.GetLineFromPosition(token.SpanStart).LineNumber;
                int from = Math.Max(0, usageLine - UsageContextLines), to = Math.Min(text.Lines.Count - 1, usageLine + UsageContextLines);
                var header = declaration.Declaration is { } enclosing && enclosing.Range.StartLine < from ? enclosing.Text + "\n    …\n" : "";
                int rangeStart = declaration.Declaration is { } d2 ? Math.Min(d2.Range.StartLine, from) : from;
                string where = declaration.Declaration is { } d3 ? Describe(d3) : Path.GetFileName(source.Path);
                Add(new Candidate(source.Path, new SourceSpan(rangeStart, 0, to, text.Lines[to].Span.Length), "usage",
                    $"{where} uses {symbol.Name}", header + LinesOf(text, from, to), score - usages, Whole: true));
                usages++;
            }
        }
    }

    // ── The selection and its semantic neighbourhood ──────────────────────────────────────────────────────────

    /// <summary>
    /// What the selection uses (declared in the repository, other files and its own), the member and type it sits in,
    /// and the types of what it declares. An empty selection stands for the member at the cursor.
    /// </summary>
    private void AddSelection()
    {
        if (_document?.Tree is not { } tree || _text is null) return;
        var root = tree.GetRoot(_cancellationToken);
        var span = _selection;
        if (span.IsEmpty)
        {
            var at = root.FindToken(Math.Min(span.Start, Math.Max(0, root.FullSpan.End - 1))).Parent?.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax);
            if (at is null) return;
            span = at.Span;
        }
        var bind = SelectionBinding(tree, span);
        var counts = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        foreach (var node in root.DescendantNodes(span).OfType<SimpleNameSyntax>())
        {
            if (!span.Contains(node.Span) || bind(node) is not var (model, bound)) continue;
            var info = model.GetSymbolInfo(bound, _cancellationToken);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is IMethodSymbol { ReducedFrom: { } extension }) symbol = extension;
            if (symbol is IMethodSymbol { AssociatedSymbol: { } associated }) symbol = associated;
            if (symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol) symbol = TypeOf(symbol);
            if (symbol is null || symbol.DeclaringSyntaxReferences.IsEmpty) continue;
            symbol = symbol.OriginalDefinition;
            counts[symbol] = counts.GetValueOrDefault(symbol) + 1;
        }
        foreach (var (symbol, count) in counts)
        {
            double score = 600 + Math.Min(40, 10 * Math.Log2(1 + count));
            AddDeclarations(symbol, score, $"used in the selection{(count > 1 ? $" ({count} times)" : "")}");
            if (symbol is not INamedTypeSymbol && symbol.ContainingType is { } type) AddDeclarations(type, score - 30, $"declares {symbol.Name}, used in the selection");
        }
        var enclosing = root.FindToken(span.Start).Parent?.AncestorsAndSelf().Where(n => n is MemberDeclarationSyntax && n.Span.Contains(span) && n.Span != span).ToArray() ?? [];
        for (int i = 0; i < enclosing.Length; i++)
        {
            var declared = bind(enclosing[i] is BaseFieldDeclarationSyntax field ? field.Declaration.Variables[0] : enclosing[i]) is var (model, bound)
                ? model.GetDeclaredSymbol(bound, _cancellationToken)
                : null;
            if (declared is not null) AddDeclarations(declared, 690 - 10 * i, "encloses the selection");
        }
    }

    private void AddDeclarations(ISymbol symbol, double score, string reason)
    {
        foreach (var (path, declaration) in _snapshot.DeclarationsOf(symbol, _cancellationToken))
            Add(new Candidate(path, declaration.Range, "selection", $"{Describe(declaration)}: {reason}", declaration.Text, score));
    }

    /// <summary>
    /// What binds each node of the document's own text around <paramref name="span"/>: the compilation's tree when it is
    /// that text; when the compilation holds an older or a bodyless tree of it (<see cref="BodyEdit"/>,
    /// <see cref="MemberGraft"/>) and the span is inside one member with a body, that body speculatively in place of the
    /// compiled one and the rest by its counterpart in the compiled tree, so a question does not compile the repository
    /// anew (on mono, tens of seconds); else the text compiled for this question.
    /// </summary>
    private Func<SyntaxNode, (SemanticModel Model, SyntaxNode Node)?> SelectionBinding(SyntaxTree tree, TextSpan span)
    {
        var document = _document!;
        if (document.CompiledTree is { } compiledTree && compiledTree != tree
            && tree.GetRoot(_cancellationToken).FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf()
                .LastOrDefault(n => BodyEdit.BodyOf(n) is not null) is { } member
            && MemberGraft.Counterpart(member, compiledTree.GetRoot(_cancellationToken)) is { } compiled
            && _snapshot.ModelFor(compiledTree) is var compiledModel
            && BodyEdit.Speculate(compiledModel, compiled, member) is { } speculative)
        {
            var body = BodyEdit.BodyOf(member)!;
            // Outside the body the two members have the same structure (their headers are equivalent), and so do the
            // declarations around them: pair their nodes in order.
            static IEnumerable<SyntaxNode> OutsideBody(SyntaxNode member)
            {
                var body = BodyEdit.BodyOf(member)!;
                return member.DescendantNodesAndSelf(n => n != body).Where(n => !body.Span.Contains(n.Span));
            }
            var counterparts = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var (node, other) in OutsideBody(member).Zip(OutsideBody(compiled))) counterparts[node] = other;
            for (var (node, other) = (member.Parent, compiled.Parent); node is not null && other is not null; (node, other) = (node.Parent, other.Parent))
                counterparts[node] = other;
            return node => body.Span.Contains(node.Span) ? (speculative, node)
                : counterparts.TryGetValue(node, out var other) && other.RawKind == node.RawKind ? (compiledModel, other)
                : null;
        }
        var model = SelectionModel(tree);
        return node => (model, node);
    }

    /// <summary>A model for the document's own text: the compilation's tree when it is that text, else the text compiled for this question.</summary>
    private SemanticModel SelectionModel(SyntaxTree tree)
    {
        var document = _document!;
        if (document.CompiledTree == tree) return _snapshot.ModelFor(tree);
        var compilation = document.CompiledTree is { } compiled && _snapshot.Compilation.ContainsSyntaxTree(compiled)
            ? _snapshot.Compilation.ReplaceSyntaxTree(compiled, tree)
            : _snapshot.Compilation.AddSyntaxTrees(tree);
        return compilation.GetSemanticModel(tree);
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    } is { } type ? (type as IArrayTypeSymbol)?.ElementType ?? type : null;

    // ── The repository map ──────────────────────────────────────────────────────────────────────────────────

    private IEnumerable<Candidate> RepositoryMap()
    {
        var types = _facts.Sources
            .SelectMany(d => d.Declarations.Where(x => x.IsType).Select(x => (d.Path, Declaration: x)))
            .OrderByDescending(t => _facts.NameCount(t.Declaration.Name))
            .ThenBy(t => t.Path, StringComparer.Ordinal)
            .ThenBy(t => t.Declaration.Start)
            .Take(200)
            .ToArray();
        for (int rank = 0; rank < types.Length; rank++)
        {
            var (path, declaration) = types[rank];
            yield return new Candidate(path, declaration.Range, "repositoryMap", $"{declaration.Name}: one of the repository's most referenced types",
                declaration.Text, 50 - 40.0 * rank / types.Length);
        }
    }
}
