using System.Collections.Immutable;
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
    {
        Path = path;
        Text = text;
        Tree = tree;
        IsOpen = isOpen;
        IsContextSource = isContextSource;
        _windows = new(() => LexicalWindows.Build(text));
        _declarations = new(() => tree is null ? [] : Signatures.Collect(tree, CancellationToken.None));
        _identifierCounts = new(() => CountIdentifiers(tree));
    }

    public string Path { get; }
    public SourceText Text { get; }

    /// <summary>Null for files that are not C#: they only take part lexically.</summary>
    public SyntaxTree? Tree { get; }

    public bool IsOpen { get; }

    /// <summary>Whether its text may be given as context: false for open documents outside the workspace folders.</summary>
    public bool IsContextSource { get; }

    public LexicalWindows Windows => _windows.Value;
    public IReadOnlyList<Declaration> Declarations => _declarations.Value;
    public IReadOnlyDictionary<string, int> IdentifierCounts => _identifierCounts.Value;

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
/// and the lexical statistics BM25 needs. Computed lazily, at most once per snapshot lineage between file changes.
/// </summary>
internal sealed class RepositoryFacts
{
    public RepositoryFacts(ImmutableDictionary<string, SourceDocument> documents)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in documents.Values)
        {
            if (!document.IsContextSource) continue;
            foreach (var (name, count) in document.IdentifierCounts) counts[name] = counts.GetValueOrDefault(name) + count;
        }
        NameCounts = counts;
    }

    public IReadOnlyDictionary<string, int> NameCounts { get; }
}

/// <summary>
/// Everything a query reads, frozen: the compilation over all C# documents and the documents themselves.
/// Writers build a new snapshot under the engine's lock and publish it; readers never lock.
/// </summary>
internal sealed class WorkspaceSnapshot
{
    public WorkspaceSnapshot(CSharpCompilation compilation, ImmutableDictionary<string, SourceDocument> documents, Lazy<RepositoryFacts> facts)
    {
        Compilation = compilation;
        Documents = documents;
        Facts = facts;
    }

    public CSharpCompilation Compilation { get; }
    public ImmutableDictionary<string, SourceDocument> Documents { get; }

    /// <summary>Shared with later snapshots until a file set change makes it stale; edits to open documents keep it.</summary>
    public Lazy<RepositoryFacts> Facts { get; }

    public static Lazy<RepositoryFacts> FactsOf(ImmutableDictionary<string, SourceDocument> documents) => new(() => new RepositoryFacts(documents));

    /// <summary>A snapshot with these documents added or replaced (null text: removed).</summary>
    public WorkspaceSnapshot With(IReadOnlyList<(string Path, SourceDocument? Document)> changes, bool keepFacts)
    {
        var compilation = Compilation;
        var documents = Documents.ToBuilder();
        var added = new List<SyntaxTree>();
        foreach (var (path, document) in changes)
        {
            if (documents.TryGetValue(path, out var old) && old.Tree is not null)
            {
                compilation = document?.Tree is null ? compilation.RemoveSyntaxTrees(old.Tree) : compilation.ReplaceSyntaxTree(old.Tree, document.Tree);
            }
            else if (document?.Tree is not null) added.Add(document.Tree);
            if (document is null) documents.Remove(path);
            else documents[path] = document;
        }
        if (added.Count > 0) compilation = compilation.AddSyntaxTrees(added);
        var frozen = documents.ToImmutable();
        return new WorkspaceSnapshot(compilation, frozen, keepFacts ? Facts : FactsOf(frozen));
    }
}
