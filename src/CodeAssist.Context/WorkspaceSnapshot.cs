using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>
/// One file as the engine knows it: the client's text when open, the disk's otherwise. Immutable; what is costly
/// to derive (windows, declarations, identifier counts) is computed on first use and shared by every snapshot
/// holding the same document.
/// </summary>
internal sealed class SourceDocument
{
    private readonly Lazy<LexicalWindows> _windows;
    private readonly Lazy<IReadOnlyList<Declaration>> _declarations;
    private readonly Lazy<IReadOnlyDictionary<string, int>> _identifierCounts;

    public SourceDocument(string path, SourceText text, SyntaxTree? tree, bool isOpen, bool isContextSource)
        : this(path, text, tree, isOpen, isContextSource, null, null, null)
    {
    }

    private SourceDocument(string path, SourceText text, SyntaxTree? tree, bool isOpen, bool isContextSource,
        BodyEdit? edit, SyntaxTree? compiledTree, Lazy<IReadOnlyDictionary<string, int>>? compiledCounts)
    {
        CompiledTree = compiledTree ?? tree;
        Edit = edit;
        Path = path;
        Text = text;
        Tree = tree;
        IsOpen = isOpen;
        IsContextSource = isContextSource;
        _windows = new(() => LexicalWindows.Build(text));
        _declarations = new(() => tree is null ? [] : Signatures.Collect(tree, CancellationToken.None));
        _identifierCounts = edit is null || compiledCounts is null
            ? new(() => CountIdentifiers(tree))
            : new(() => AdjustCounts(compiledCounts.Value, compiledTree!, tree!, edit));
        _compiledIdentifierCounts = compiledCounts ?? _identifierCounts;
    }

    // The identifier counts of the compiled text, from which an edited text's counts are derived.
    private readonly Lazy<IReadOnlyDictionary<string, int>> _compiledIdentifierCounts;

    public string Path { get; }
    public SourceText Text { get; }

    /// <summary>Null for files that are not C#: they only take part lexically.</summary>
    public SyntaxTree? Tree { get; }

    /// <summary>The tree the compilation holds for this document: <see cref="Tree"/>, or an older one when <see cref="Edit"/> says how they differ.</summary>
    public SyntaxTree? CompiledTree { get; }

    public BodyEdit? Edit { get; }

    public bool IsOpen { get; }

    /// <summary>The same text and tree, compiled as <paramref name="compiledTree"/>, differing from it by <paramref name="edit"/>.</summary>
    public SourceDocument WithCompiledTree(SourceDocument compiled, BodyEdit edit) =>
        new(Path, Text, Tree, IsOpen, IsContextSource, edit, compiled.CompiledTree, compiled._compiledIdentifierCounts);

    /// <summary>Whether its text may be given as context: false for open documents outside the workspace folders.</summary>
    public bool IsContextSource { get; }

    public LexicalWindows Windows => _windows.Value;
    public IReadOnlyList<Declaration> Declarations => _declarations.Value;
    public IReadOnlyDictionary<string, int> IdentifierCounts => _identifierCounts.Value;

    /// <summary>
    /// The compiled text's counts less the identifiers of the edited region there, plus those of the edited region
    /// here: counting a whole large file again on the first query after each keystroke costs milliseconds.
    /// </summary>
    private static IReadOnlyDictionary<string, int> AdjustCounts(IReadOnlyDictionary<string, int> compiledCounts, SyntaxTree compiled, SyntaxTree edited, BodyEdit edit)
    {
        var counts = new Dictionary<string, int>(compiledCounts, StringComparer.Ordinal);
        foreach (var token in compiled.GetRoot().DescendantTokens(TextSpan.FromBounds(edit.ChangeStart, edit.CompiledChangeEnd)))
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && counts.TryGetValue(token.ValueText, out int count))
            {
                if (count <= 1) counts.Remove(token.ValueText);
                else counts[token.ValueText] = count - 1;
            }
        }
        foreach (var token in edited.GetRoot().DescendantTokens(TextSpan.FromBounds(edit.ChangeStart, edit.EditedChangeEnd)))
        {
            if (token.IsKind(SyntaxKind.IdentifierToken)) counts[token.ValueText] = counts.GetValueOrDefault(token.ValueText) + 1;
        }
        return counts;
    }

    private static IReadOnlyDictionary<string, int> CountIdentifiers(SyntaxTree? tree)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (tree is null) return counts;
        foreach (var token in tree.GetRoot().DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken)) counts[token.ValueText] = counts.GetValueOrDefault(token.ValueText) + 1;
        }
        return counts;
    }
}

/// <summary>
/// Repository-wide facts derived from every document: how often each name is used (ranking, repository map)
/// and the lexical index. Computed lazily, once per snapshot lineage between file set changes: edits to open
/// documents keep the facts of their previous text, which ranking and lexical fill tolerate.
/// </summary>
internal sealed class RepositoryFacts
{
    public RepositoryFacts(ImmutableDictionary<string, SourceDocument> documents)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var postings = new Dictionary<string, List<LexicalPosting>>(StringComparer.Ordinal);
        var declarations = new Dictionary<string, List<(string, Declaration)>>(StringComparer.Ordinal);
        foreach (var document in documents.Values.Where(d => d.IsContextSource).OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            foreach (var (name, count) in document.IdentifierCounts) counts[name] = counts.GetValueOrDefault(name) + count;
            foreach (var declaration in document.Declarations)
            {
                if (!declarations.TryGetValue(declaration.Name, out var list)) declarations[declaration.Name] = list = [];
                list.Add((document.Path, declaration));
            }
            var windows = document.Windows;
            WindowCount += windows.Windows.Count;
            foreach (int length in windows.WindowLengths) TotalWindowLength += length;
            foreach (var (token, list) in windows.AllPostings)
            {
                if (!postings.TryGetValue(token, out var all)) postings[token] = all = [];
                foreach (var (window, count) in list) all.Add(new LexicalPosting(document, window, count));
            }
        }
        NameCounts = counts;
        Postings = postings;
        DeclarationsByName = declarations;
        PopularDeclarations = Popular(documents, counts);
    }

    public IReadOnlyDictionary<string, int> NameCounts { get; }

    /// <summary>Every window of every file by identifier: one inverted index, so a lexical query touches only its tokens' windows.</summary>
    public IReadOnlyDictionary<string, List<LexicalPosting>> Postings { get; }

    /// <summary>
    /// The types the repository names most often, each followed by its most named members, most popular first:
    /// the utility and resource classes any line of this repository may reach for.
    /// </summary>
    public IReadOnlyList<(string Path, Declaration Declaration)> PopularDeclarations { get; }

    private static IReadOnlyList<(string, Declaration)> Popular(ImmutableDictionary<string, SourceDocument> documents, Dictionary<string, int> counts)
    {
        const int Types = 12;
        const int MembersPerType = 2;
        var types = documents.Values.Where(d => d.IsContextSource)
            .SelectMany(d => d.Declarations.Where(x => x.IsType).Select(x => (d, x)))
            .OrderByDescending(t => counts.GetValueOrDefault(t.x.Name))
            .ThenBy(t => t.d.Path, StringComparer.Ordinal).ThenBy(t => t.x.Node.SpanStart)
            .Take(Types);
        var popular = new List<(string, Declaration)>();
        foreach (var (document, type) in types)
        {
            popular.Add((document.Path, type));
            popular.AddRange(document.Declarations
                .Where(m => !m.IsType && m.Node.Parent == type.Node)
                .OrderByDescending(m => counts.GetValueOrDefault(m.Name)).ThenBy(m => m.Node.SpanStart)
                .Take(MembersPerType)
                .Select(m => (document.Path, m)));
        }
        return popular;
    }

    /// <summary>Types and members of every file by simple name, from syntax alone.</summary>
    public IReadOnlyDictionary<string, List<(string Path, Declaration Declaration)>> DeclarationsByName { get; }

    public long WindowCount { get; }
    public long TotalWindowLength { get; }
}

internal readonly record struct LexicalPosting(SourceDocument Document, int Window, int Count);

/// <summary>
/// Everything a query reads, frozen: the compilation over all C# documents and the documents themselves.
/// Writers build a new snapshot under the engine's lock and publish it; readers never lock.
/// </summary>
internal sealed class WorkspaceSnapshot
{
    public WorkspaceSnapshot(CSharpCompilation compilation, ImmutableDictionary<string, SourceDocument> documents, Lazy<RepositoryFacts> facts)
        : this(compilation, documents, facts, new(), null)
    {
    }

    private WorkspaceSnapshot(CSharpCompilation compilation, ImmutableDictionary<string, SourceDocument> documents, Lazy<RepositoryFacts> facts,
        ConcurrentDictionary<SyntaxTree, SemanticModel> models, Undo? undo)
    {
        Compilation = compilation;
        _models = models;
        _undo = undo;
        Documents = documents;
        Facts = facts;
    }

    // Semantic models cache what they bind; shared by the snapshots that share the compilation.
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models;

    // Keyed weakly by the edited tree: a keystroke later nobody asks about it again.
    private readonly ConditionalWeakTable<SyntaxTree, StrongBox<SemanticModel?>> _speculativeModels = new();

    /// <summary>
    /// The compilation before the last replacement of one document's tree. When that document's earlier text comes
    /// back (the client closes it unsaved, or undoes a declaration edit) we return to it, with every symbol it had
    /// built, instead of paying for a cold compilation once more.
    /// </summary>
    private sealed record Undo(CSharpCompilation Compilation, ConcurrentDictionary<SyntaxTree, SemanticModel> Models, SyntaxTree TreeBefore, SyntaxTree TreeAfter);

    private readonly Undo? _undo;

    public CSharpCompilation Compilation { get; }

    public SemanticModel ModelFor(SyntaxTree compiledTree) => _models.GetOrAdd(compiledTree, tree => Compilation.GetSemanticModel(tree));

    /// <summary>The speculative model of an edited tree (see <see cref="BodyEdit"/>), kept while the compilation lasts; null when Roslyn declines.</summary>
    public SemanticModel? SpeculativeModelFor(SyntaxTree editedTree, Func<SemanticModel?> speculate) =>
        _speculativeModels.GetValue(editedTree, _ => new StrongBox<SemanticModel?>(speculate())).Value;
    public ImmutableDictionary<string, SourceDocument> Documents { get; }

    /// <summary>Shared with later snapshots until a file set change makes it stale; edits to open documents keep it.</summary>
    public Lazy<RepositoryFacts> Facts { get; }

    public static Lazy<RepositoryFacts> FactsOf(ImmutableDictionary<string, SourceDocument> documents) => new(() => new RepositoryFacts(documents));

    /// <summary>A snapshot with these documents added or replaced (null text: removed).</summary>
    public WorkspaceSnapshot With(IReadOnlyList<(string Path, SourceDocument? Document)> changes, bool keepFacts)
    {
        if (changes is [(var undonePath, { CompiledTree: { } undoneTree } undone)] && _undo is { } undo
            && Documents.TryGetValue(undonePath, out var current) && current.CompiledTree == undo.TreeAfter
            && undoneTree.GetText().ContentEquals(undo.TreeBefore.GetText()))
        {
            var restored = new SourceDocument(undonePath, undo.TreeBefore.GetText(), undo.TreeBefore, undone.IsOpen, undone.IsContextSource);
            return new WorkspaceSnapshot(undo.Compilation, Documents.SetItem(undonePath, restored), keepFacts ? Facts : FactsOf(Documents), undo.Models, null);
        }

        var compilation = Compilation;
        var documents = Documents.ToBuilder();
        Undo? nextUndo = null;
        var added = new List<SyntaxTree>();
        foreach (var (path, document) in changes)
        {
            if (documents.TryGetValue(path, out var old) && old.CompiledTree is not null)
            {
                if (document?.CompiledTree is null) compilation = compilation.RemoveSyntaxTrees(old.CompiledTree);
                else if (document.CompiledTree != old.CompiledTree)
                {
                    if (changes.Count == 1) nextUndo = new Undo(compilation, _models, old.CompiledTree, document.CompiledTree);
                    compilation = compilation.ReplaceSyntaxTree(old.CompiledTree, document.CompiledTree);
                }
            }
            else if (document?.CompiledTree is not null) added.Add(document.CompiledTree);
            if (document is null) documents.Remove(path);
            else documents[path] = document;
        }
        if (added.Count > 0) compilation = compilation.AddSyntaxTrees(added);
        var frozen = documents.ToImmutable();
        bool sameCompilation = compilation == Compilation;
        return new WorkspaceSnapshot(compilation, frozen, keepFacts ? Facts : FactsOf(frozen),
            sameCompilation ? _models : new(), sameCompilation ? _undo : nextUndo);
    }
}
