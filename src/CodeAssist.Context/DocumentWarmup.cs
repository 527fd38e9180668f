using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Context;

/// <summary>
/// What the first query in a newly opened document would otherwise build while the user waits: the document's
/// semantic model, the symbols of its declarations, the rendered declarations of the types they name and of the
/// enclosing types' bases, and the speculative model of an edit the client's text makes to a member body. Run in the
/// background when a document opens; everything lands in the snapshot's per-compilation caches, which the queries
/// after it share, and an edit that replaces the compilation makes it moot. The repository facts are left to queries:
/// their build cannot be cancelled and holds the one build slot, so a warm-up making them held up a burst of edits for
/// tens of seconds (the e2e flood test). Once, before the index reports ready, what the first queries after start would
/// wait for: the repository's symbols, a sample of its statements bound, and the JIT of queries and of a check
/// (<see cref="ContextEngine"/>'s warm-up).
/// </summary>
internal static class DocumentWarmup
{
    /// <returns>How many types' declarations it rendered.</returns>
    public static int Run(WorkspaceSnapshot snapshot, SourceDocument document, CancellationToken cancellationToken)
    {
        if (document.CompiledTree is not { } compiledTree) return 0;
        var model = snapshot.ModelFor(compiledTree);
        if (document.Edit is BodyEdit edit && document.Tree is { } editedTree)
            snapshot.SpeculativeModelFor(editedTree, () => edit.Speculate(model));

        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        void Render(ITypeSymbol? type)
        {
            if (type is INamedTypeSymbol { DeclaringSyntaxReferences.IsEmpty: false } named && seen.Add(named.OriginalDefinition))
                snapshot.DeclarationsOf(named.OriginalDefinition, cancellationToken);
        }
        foreach (var node in Signatures.DeclarationNodes(compiledTree.GetRoot(cancellationToken)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            IEnumerable<SyntaxNode> declared = node is BaseFieldDeclarationSyntax field ? field.Declaration.Variables : [node];
            foreach (var declarator in declared)
            {
                switch (model.GetDeclaredSymbol(declarator, cancellationToken))
                {
                    case INamedTypeSymbol type:
                        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType) Render(baseType);
                        foreach (var @interface in type.Interfaces) Render(@interface);
                        break;
                    case IMethodSymbol method:
                        Render(method.ReturnType);
                        foreach (var parameter in method.Parameters) Render(parameter.Type);
                        break;
                    case IPropertySymbol property: Render(property.Type); break;
                    case IFieldSymbol fieldSymbol: Render(fieldSymbol.Type); break;
                    case IEventSymbol @event: Render(@event.Type); break;
                }
            }
        }
        return seen.Count;
    }

    /// <summary>
    /// Builds every source type's members with their signatures, which Roslyn otherwise builds when a query first
    /// touches the type: keepass2's first query after <c>UIUtil.</c>, a static class of hundreds of members, spent
    /// 200 ms there. It lasts as long as the compilation: an edit outside a member body replaces it, and queries build
    /// again what they touch.
    /// </summary>
    /// <returns>How many members it built.</returns>
    public static int BuildSymbols(INamespaceSymbol root, CancellationToken cancellationToken)
    {
        int members = 0;
        var containers = new Stack<INamespaceOrTypeSymbol>([root]);
        while (containers.TryPop(out var container))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in container.GetMembers())
            {
                // Asking a member's type or parameters binds its signature.
                switch (member)
                {
                    case INamedTypeSymbol type:
                        _ = type.BaseType;
                        _ = type.Interfaces;
                        containers.Push(type);
                        continue;
                    case INamespaceSymbol inner:
                        containers.Push(inner);
                        continue;
                    case IMethodSymbol method:
                        _ = method.ReturnType;
                        _ = method.Parameters;
                        break;
                    case IPropertySymbol property:
                        _ = property.Type;
                        _ = property.Parameters;
                        break;
                    case IFieldSymbol field: _ = field.Type; break;
                    case IEventSymbol @event: _ = @event.Type; break;
                }
                members++;
            }
        }
        return members;
    }

    /// <summary>
    /// The first context queries after start wait for the JIT to compile the query and Roslyn's binder, and for the
    /// framework's symbols they bind against to load: 200–700 ms for the public repositories' first answers, and
    /// 50–90 ms more in each of the next few, whose cursors reach code the first did not. Asked before the index reports
    /// ready, like the repository facts: <paramref name="rounds"/> queries of each shape a cursor commonly has
    /// (<see cref="Cursors"/>), each in an unpublished copy of a workspace document (a different one for each where
    /// there are enough) with the rest of the cursor's line removed, as typing leaves it (<paramref name="type"/> makes
    /// it, and the snapshot that holds it); the answers are forgotten. Returns how many items they had; 0 when no
    /// document has any of the shapes.
    /// </summary>
    /// <param name="log">Told when Roslyn fails on a typed document, as a query's log is.</param>
    public static int QueryShapes(WorkspaceSnapshot snapshot, Typing type, int rounds, Func<string, int> countTokens, Action<string> log, CancellationToken cancellationToken)
    {
        var trees = WholeTrees(snapshot).ToList();
        int items = 0;
        for (int n = 0; n < rounds * Cursors.Length; n++)
        {
            int shape = n % Cursors.Length;
            foreach (var (document, tree) in trees.Skip(n).Concat(trees.Take(n)))
            {
                if (Cursors[shape](tree.GetRoot(cancellationToken)) is not { } cursor || document.ReadText() is not { } text) continue;
                var (typedSnapshot, typed) = type(document, text.ToString().Remove(cursor, text.Lines.GetLineFromPosition(cursor).End - cursor));
                items += ContextQuery.Run(typedSnapshot, typed, typed.ReadText()!, cursor, 2048, countTokens, log, cancellationToken).Items.Count;
                break;
            }
        }
        return items;
    }

    /// <summary>
    /// The cursors <see cref="QueryShapes"/> asks at, the most common first: after the dot of a member access in a
    /// statement and of one in a lambda's body, at the start of a statement and at the start of a type's member
    /// declaration.
    /// </summary>
    private static readonly Func<SyntaxNode, int?>[] Cursors =
    [
        root => Statements(root).SelectMany(s => s.DescendantNodes().OfType<MemberAccessExpressionSyntax>()).FirstOrDefault()?.OperatorToken.Span.End,
        root => Statements(root).SelectMany(s => s.DescendantNodes().OfType<LambdaExpressionSyntax>())
            .SelectMany(l => l.Body.DescendantNodes().OfType<MemberAccessExpressionSyntax>()).FirstOrDefault()?.OperatorToken.Span.End,
        root => Statements(root).FirstOrDefault()?.SpanStart,
        root => root.DescendantNodes().OfType<TypeDeclarationSyntax>().SelectMany(t => t.Members).FirstOrDefault()?.SpanStart,
    ];

    private static IEnumerable<StatementSyntax> Statements(SyntaxNode root) =>
        root.DescendantNodes().OfType<BlockSyntax>().SelectMany(b => b.Statements);

    /// <summary>
    /// The first queries in files also waited for the parts of Roslyn's binder their statements were the first to
    /// reach and for the framework types those statements were the first to name (<c>Debug.Assert</c>: 22 ms once): 40–90
    /// ms in the second and third queries after start. Binding the repository's own statements, in document order
    /// until <paramref name="budget"/> is spent, reaches most of both. Each document gets a new semantic model, which is
    /// dropped with what it bound; the compilation keeps only the symbols it loaded.
    /// </summary>
    /// <returns>How many statements it bound.</returns>
    public static int BindStatements(WorkspaceSnapshot snapshot, TimeSpan budget, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        int statements = 0;
        foreach (var (_, tree) in WholeTrees(snapshot))
        {
            var model = snapshot.Compilation.GetSemanticModel(tree);
            foreach (var statement in Statements(tree.GetRoot(cancellationToken)))
            {
                if (stopwatch.Elapsed > budget) return statements;
                cancellationToken.ThrowIfCancellationRequested();
                // Asked about one name, Roslyn binds the whole statement.
                if (statement.DescendantNodes().OfType<SimpleNameSyntax>().FirstOrDefault() is not { } name) continue;
                _ = model.GetSymbolInfo(name, cancellationToken);
                statements++;
            }
        }
        return statements;
    }

    /// <summary>
    /// The compiler check of a suggestion first runs when a generation ends, and the first time its code and Roslyn's
    /// speculative binding are compiled by the JIT: 30–45 ms added to the first suggestion the user waits for (the
    /// completion replay). Run once before the index reports ready instead, the way typing leaves a document: a line typed at
    /// the first statement of a body (<paramref name="type"/> makes the edited document, not published), a candidate
    /// checked after it, and all of it forgotten. False when no document has a statement.
    /// </summary>
    /// <param name="log">Told when Roslyn fails on the typed document, as a check's log is.</param>
    public static bool CheckOnce(WorkspaceSnapshot snapshot, Typing type, Action<string> log, CancellationToken cancellationToken)
    {
        const string Line = "var warm = 0;";
        foreach (var (document, tree) in WholeTrees(snapshot))
        {
            var statement = Statements(tree.GetRoot(cancellationToken)).FirstOrDefault();
            if (statement is null || document.ReadText() is not { } text) continue;
            var (typedSnapshot, typed) = type(document, text.ToString().Insert(statement.SpanStart, Line));
            // One candidate that compiles, one the repair fixes, one that is cut where it stops being code.
            CodeCheck.Run(typedSnapshot, typed, typed.ReadText()!, statement.SpanStart + Line.Length,
                ["warm.ToString();", "warm.ToStrin();", "warm.ToString() warm warm"], log, cancellationToken);
            return true;
        }
        return false;
    }

    /// <summary>
    /// A snapshot of two small documents of ordinary code (<see cref="SampleText"/>, <see cref="SampleBook"/>) alone,
    /// compiled against the repository's references in a compilation derived from the repository's, so that the
    /// framework types its queries load are loaded for the repository's compilations too. For a bodyless repository's
    /// warm-up: it has no whole trees to type into, and typing into one of its documents parsed whole compiles the
    /// repository anew (seconds on mono), while the sample's queries compile the same code paths of ours and Roslyn's
    /// in milliseconds.
    /// </summary>
    public static WorkspaceSnapshot Sample(WorkspaceSnapshot repository, CSharpParseOptions options)
    {
        var documents = ImmutableDictionary.Create<string, SourceDocument>(StringComparer.Ordinal);
        foreach (var (name, text) in new[] { ("Catalog.cs", SampleText), ("Book.cs", SampleBook) })
        {
            string path = Path.Combine(Path.GetTempPath(), "codeassist-warm-up", name);
            var tree = CSharpSyntaxTree.ParseText(text, options, path);
            documents = documents.Add(path, SourceDocument.FromText(path, tree.GetText(), tree, isOpen: false, isContextSource: true));
        }
        var compilation = repository.Compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(documents.Values.Select(d => d.Tree!));
        return new WorkspaceSnapshot(compilation, documents, new RepositoryFactsCell(documents, null));
    }

    /// <summary>What <see cref="SampleText"/> uses from another file, so that its queries have declarations to render.</summary>
    private const string SampleBook = """
        namespace CodeAssist.WarmUp;

        /// <summary>A book of the catalog.</summary>
        public sealed record Book(string Title, int Year)
        {
            /// <summary>Whether it was published before <paramref name="year"/>.</summary>
            public bool IsOlderThan(int year) => Year < year;
        }
        """;

    /// <summary>Every shape of cursor <see cref="Cursors"/> looks for, and the framework's most used types.</summary>
    private const string SampleText = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Text;

        namespace CodeAssist.WarmUp;

        public sealed class Catalog
        {
            private readonly List<string> _titles = new();
            private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

            public int Count => _titles.Count;

            public void Add(Book book)
            {
                if (string.IsNullOrEmpty(book.Title)) throw new ArgumentException("A title is needed.", nameof(book));
                _titles.Add(book.Title.Trim());
                _counts[book.Title] = _counts.TryGetValue(book.Title, out var count) ? count + 1 : 1;
            }

            public void Write(TextWriter writer)
            {
                foreach (var title in _titles.OrderBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal))
                    writer.WriteLine(title.ToUpperInvariant());
                writer.Flush();
            }

            public string Describe()
            {
                var builder = new StringBuilder();
                builder.Append(Count).Append(' ').Append(string.Join(", ", _titles.Where(t => t.Contains('a')).Select(t => t.Substring(0, 1))));
                return builder.ToString();
            }
        }
        """;

    /// <summary>
    /// A copy of <paramref name="document"/> with <paramref name="text"/>, as the client would send it, and the snapshot
    /// that answers for it. Neither is published.
    /// </summary>
    public delegate (WorkspaceSnapshot Snapshot, SourceDocument Document) Typing(SourceDocument document, string text);

    /// <summary>
    /// The workspace's C# documents compiled as whole trees, which the warm-up binds and types into: in a bodyless
    /// repository only the documents the client has opened.
    /// </summary>
    private static IEnumerable<(SourceDocument Document, SyntaxTree Tree)> WholeTrees(WorkspaceSnapshot snapshot) =>
        snapshot.Documents.Values.Where(d => d.HasWholeTree && d.CompiledBodyless is null && WorkspaceFiles.IsCSharp(d.Path)).Select(d => (d, d.Tree!));
}
