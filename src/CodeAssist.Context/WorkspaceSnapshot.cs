using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Context;

/// <summary>What indexing learns from one file: its declarations and its lexical windows.</summary>
internal sealed record FileSummary(IReadOnlyList<Declaration> Declarations, LexicalWindows Lexical)
{
    public static FileSummary Of(string text, SyntaxTree? tree) =>
        new(tree is null ? [] : Signatures.Collect(tree, CancellationToken.None), LexicalWindows.Build(text));
}

/// <summary>
/// One file as the engine knows it: the client's text when open, the disk's otherwise. Immutable; what is costly
/// to derive is computed once and shared by every snapshot holding the same document.
/// A file indexed from disk keeps its <see cref="FileSummary"/> and a <see cref="BodylessTree"/>, not its text:
/// texts and trees together are most of a large repository's memory.
/// </summary>
internal sealed class SourceDocument
{
    private readonly SourceText? _text;
    private readonly Lazy<FileSummary> _summary;
    private readonly Lazy<IReadOnlyDictionary<string, int>> _identifierCounts;
    // The identifier counts of the compiled text, from which an edited text's counts are derived.
    private readonly Lazy<IReadOnlyDictionary<string, int>> _compiledIdentifierCounts;

    // Where the summary's declarations start in Tree, when that is a BodylessTree; otherwise their own starts.
    private readonly int[]? _treeStarts;

    private SourceDocument(string path, SourceText? text, SyntaxTree? tree, bool isOpen, bool isContextSource, Lazy<FileSummary> summary,
        FileStamp? stamp = null, int[]? treeStarts = null, PendingEdit? edit = null, SyntaxTree? compiledTree = null,
        Lazy<IReadOnlyDictionary<string, int>>? compiledCounts = null, bool isParsing = false, SourceDocument? compiledBodyless = null,
        Lazy<IReadOnlyDictionary<string, int>>? identifierCounts = null, SourceDocument? indexed = null)
    {
        Path = path;
        IsParsing = isParsing;
        CompiledBodyless = compiledBodyless;
        IndexedFile = indexed ?? compiledBodyless;
        Stamp = stamp;
        _treeStarts = treeStarts;
        _text = text;
        Tree = tree;
        CompiledTree = compiledTree ?? tree;
        IsOpen = isOpen;
        IsContextSource = isContextSource;
        Edit = edit;
        _summary = summary;
        _identifierCounts = identifierCounts ?? (edit is null || compiledCounts is null
            ? new(() => CountIdentifiers())
            : new(() => AdjustCounts(compiledCounts.Value, compiledTree!.GetText(), text!, edit)));
        _compiledIdentifierCounts = compiledCounts ?? _identifierCounts;
    }

    /// <summary>A text held in memory (open documents, and files read for one query): its summary is derived on first use.</summary>
    public static SourceDocument FromText(string path, SourceText text, SyntaxTree? tree, bool isOpen, bool isContextSource) =>
        new(path, text, tree, isOpen, isContextSource, new(() => FileSummary.Of(text.ToString(), tree)));

    /// <summary>
    /// An open C# document too large to parse while the client waits: no tree until the parse started at open lands
    /// (<see cref="ContextEngine.OpenOrChange"/>); a query meanwhile reads a <see cref="CursorSketch"/> of it. The file as
    /// <paramref name="indexed"/> without bodies, if it was, stays in the compilation meanwhile (<see cref="CompiledBodyless"/>).
    /// </summary>
    public static SourceDocument Parsing(string path, SourceText text, bool isContextSource, SourceDocument? indexed) =>
        new(path, text, null, isOpen: true, isContextSource, new(() => FileSummary.Of(text.ToString(), null)), compiledTree: indexed?.CompiledTree,
            isParsing: true, compiledBodyless: indexed);

    /// <summary>
    /// A closed file of the workspace as read when it had <paramref name="stamp"/>: its summary, and for C# the whole
    /// tree the compilation holds (none yet when the summary came from the index cache; none ever for other files).
    /// </summary>
    public static SourceDocument Indexed(string path, FileSummary summary, FileStamp stamp, SyntaxTree? tree = null) =>
        new(path, null, tree, isOpen: false, isContextSource: true, new(summary), stamp);

    /// <summary>A closed C# file of a large workspace, compiled without its member bodies.</summary>
    public static SourceDocument Indexed(string path, FileSummary summary, FileStamp stamp, BodylessTree tree) =>
        new(path, null, tree.Tree, isOpen: false, isContextSource: true, new(summary), stamp, tree.DeclarationStarts);

    public string Path { get; }

    /// <summary>The file's stamp when the summary was made from it; null for texts the client sent.</summary>
    public FileStamp? Stamp { get; }

    /// <summary>Null for files that are not C#: they only take part lexically.</summary>
    public SyntaxTree? Tree { get; }

    /// <summary>The tree the compilation holds for this document: <see cref="Tree"/>, or an older one when <see cref="Edit"/> says how they differ.</summary>
    public SyntaxTree? CompiledTree { get; }

    public PendingEdit? Edit { get; }

    public bool IsOpen { get; }

    /// <summary>
    /// The file as indexed, when the compilation holds its bodyless tree for this open document (<see cref="CompiledTree"/>)
    /// because the document declares what that tree does: its bodies may differ, and a query binds the member at the
    /// cursor grafted into that tree (<see cref="MemberGraft"/>); or because the document is still parsing. Null otherwise.
    /// </summary>
    public SourceDocument? CompiledBodyless { get; }

    /// <summary>
    /// The file as indexed without bodies that this open document stands in for, in a bodyless repository: closing the
    /// document returns it, while the file is unchanged on disk, without reading and parsing the file again (a 1 MB
    /// generated file: 60-130 ms). Null in a repository of whole trees, whose trees an edit reparses incrementally.
    /// </summary>
    public SourceDocument? IndexedFile { get; }

    /// <summary>
    /// This open document standing in for <paramref name="indexed"/> (<see cref="IndexedFile"/>): compiled as its bodyless
    /// tree when it declares what <paramref name="declaredAs"/> does (a tree declaring the same as that one), else as its own text.
    /// </summary>
    public SourceDocument StandingIn(SourceDocument indexed, SyntaxTree declaredAs) =>
        Tree is { } tree && SyntaxFactory.AreEquivalent(declaredAs, tree, topLevel: true) ? CompiledAsBodyless(indexed) : Replacing(indexed);

    /// <summary>This open document, which declares other than <paramref name="indexed"/> does, standing in for it (<see cref="IndexedFile"/>).</summary>
    public SourceDocument Replacing(SourceDocument indexed) =>
        new(Path, _text, Tree, IsOpen, IsContextSource, _summary, Stamp, _treeStarts, Edit, CompiledTree, _compiledIdentifierCounts,
            IsParsing, CompiledBodyless, _identifierCounts, indexed);

    /// <summary>This open document compiled as <paramref name="indexed"/>'s bodyless tree, which declares the same.</summary>
    public SourceDocument CompiledAsBodyless(SourceDocument indexed) =>
        new(Path, _text, Tree, IsOpen, IsContextSource, _summary, Stamp, null, null, indexed.CompiledTree, compiledBodyless: indexed);

    /// <summary>
    /// <paramref name="open"/> compiled as <paramref name="tree"/> for one query: its own text's tree, or a
    /// <see cref="CursorSketch"/> of it while it parses, whose identifiers are counted as the open document's, so that
    /// what the document uses ranks as it will once parsed.
    /// </summary>
    public static SourceDocument CompiledForQuery(SourceDocument open, SourceText text, SyntaxTree tree) =>
        new(open.Path, text, tree, isOpen: true, open.IsContextSource, new(() => FileSummary.Of(text.ToString(), tree)),
            identifierCounts: open._identifierCounts);

    /// <summary>
    /// The member at a cursor of <paramref name="open"/> grafted into its bodyless tree (see <see cref="MemberGraft"/>): a
    /// document of <paramref name="text"/> compiled as that tree, differing from it by <paramref name="edit"/>, whose
    /// identifiers are counted as the open document's.
    /// </summary>
    public static SourceDocument Grafted(SourceDocument open, SourceText text, SyntaxTree tree, BodyEdit edit) =>
        new(open.Path, text, tree, isOpen: true, open.IsContextSource, open._summary, open.Stamp, null, edit, open.CompiledTree,
            identifierCounts: open._identifierCounts);

    /// <summary>A C# document whose tree is still being parsed (see <see cref="Parsing"/>).</summary>
    public bool IsParsing { get; }

    /// <summary>Whether <see cref="Tree"/> is the whole file's, not a <see cref="BodylessTree"/> (nor missing, as for a summary from the cache).</summary>
    public bool HasWholeTree => Tree is not null && _treeStarts is null;

    /// <summary>
    /// The tree the compilation holds for this document when its text is <paramref name="text"/> (a close, an undo, an
    /// unchanged file): returning to it keeps the compilation and all it has bound. A bodyless tree never qualifies.
    /// </summary>
    public SyntaxTree? CompiledTreeWithText(string text) =>
        CompiledTree is { } compiled && !(compiled == Tree && _treeStarts is not null) && CompiledBodyless is null && compiled.GetText().ContentEquals(SourceText.From(text))
            ? compiled
            : null;

    /// <summary>Whether its text may be given as context: false for open documents outside the workspace folders.</summary>
    public bool IsContextSource { get; }

    public FileSummary Summary => _summary.Value;
    public IReadOnlyList<Declaration> Declarations => Summary.Declarations;
    public LexicalWindows Lexical => Summary.Lexical;
    public int LineCount => _text?.Lines.Count ?? Summary.Lexical.LineCount;
    public IReadOnlyDictionary<string, int> IdentifierCounts => _identifierCounts.Value;

    /// <summary>
    /// The document's text: the one held, or rebuilt from a whole tree, or for other indexed files the disk's again
    /// (null when it is gone or no longer readable; a watched-file event will update the index). Callers check it
    /// still fits the summary.
    /// </summary>
    public SourceText? ReadText()
    {
        if (_text is not null) return _text;
        // Kept by the tree once rebuilt: whole trees are kept only while the repository is small.
        if (HasWholeTree) return Tree!.GetText();
        // Held weakly: queries touch the same few files again and again, but not the whole repository's texts at once.
        if (_readText?.TryGetTarget(out var cached) == true) return cached;
        var (text, _) = WorkspaceFiles.Read(Path);
        if (text is null) return null;
        var read = SourceText.From(text);
        _readText = new WeakReference<SourceText>(read);
        return read;
    }

    private WeakReference<SourceText>? _readText;

    /// <summary>The same text and tree, compiled as <paramref name="compiled"/>'s tree, differing from it by <paramref name="edit"/>.</summary>
    public SourceDocument WithCompiledTree(SourceDocument compiled, PendingEdit edit) =>
        new(Path, _text, Tree, IsOpen, IsContextSource, _summary, Stamp, null, edit, compiled.CompiledTree, compiled._compiledIdentifierCounts,
            indexed: compiled.IndexedFile);

    /// <summary>This document compiled as its own tree: the compilation takes the edit that was pending (<see cref="Edit"/>).</summary>
    public SourceDocument CompiledAsItself() =>
        new(Path, _text, Tree, IsOpen, IsContextSource, _summary, Stamp, identifierCounts: _identifierCounts, indexed: IndexedFile);

    /// <summary>This document with the same text parsed as <paramref name="tree"/>: the tree of an earlier compilation returned to.</summary>
    public SourceDocument WithTree(SyntaxTree tree)
    {
        if (_text is null) return new(Path, null, tree, IsOpen, IsContextSource, _summary, Stamp, _treeStarts);
        var document = FromText(Path, tree.GetText(), tree, IsOpen, IsContextSource);
        return IndexedFile is { } indexed ? document.Replacing(indexed) : document;
    }

    /// <summary>The rendered declaration that starts at <paramref name="start"/> in <paramref name="tree"/>, when the summary describes that tree.</summary>
    public Declaration? DeclarationAt(SyntaxTree tree, int start)
    {
        // An open document compiled as the file's bodyless tree: the file's declarations, as they stay once it is closed.
        if (CompiledBodyless is { } indexed && tree == CompiledTree) return indexed.DeclarationAt(tree, start);
        // A text the client sent renders its declarations when first asked: the caller renders this one alone.
        if (tree != Tree || _treeStarts is null && !_summary.IsValueCreated) return null;
        var declarations = Declarations;
        int low = 0, high = declarations.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            int at = _treeStarts?[middle] ?? declarations[middle].Start;
            if (at == start) return declarations[middle];
            if (at < start) low = middle + 1;
            else high = middle - 1;
        }
        return null;
    }

    private IReadOnlyDictionary<string, int> CountIdentifiers()
    {
        if (!_summary.IsValueCreated && _text is not null) return Identifiers.Count(_text.ToString());
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lexical = Lexical;
        for (int i = 0; i < lexical.Tokens.Length; i++) counts[lexical.Tokens[i]] = lexical.TokenCounts[i];
        return counts;
    }

    /// <summary>
    /// The compiled text's counts less the identifiers of the edited region there, plus those of the edited region
    /// here: counting a whole large file again on the first query after each keystroke costs milliseconds.
    /// </summary>
    private static IReadOnlyDictionary<string, int> AdjustCounts(IReadOnlyDictionary<string, int> compiledCounts, SourceText compiled, SourceText edited, PendingEdit edit)
    {
        // Widen the region to whole identifiers; the texts are equal before it and after it.
        int start = edit.ChangeStart;
        while (start > 0 && IsIdentifierPart(compiled[start - 1])) start--;
        int compiledEnd = edit.CompiledChangeEnd, editedEnd = edit.EditedChangeEnd;
        while (compiledEnd < compiled.Length && IsIdentifierPart(compiled[compiledEnd])) { compiledEnd++; editedEnd++; }

        var counts = new Dictionary<string, int>(compiledCounts, StringComparer.Ordinal);
        Identifiers.Split(compiled.ToString(TextSpan.FromBounds(start, compiledEnd)), name =>
        {
            if (!counts.TryGetValue(name, out int count)) return;
            if (count <= 1) counts.Remove(name);
            else counts[name] = count - 1;
        });
        Identifiers.Split(edited.ToString(TextSpan.FromBounds(start, editedEnd)), name => counts[name] = counts.GetValueOrDefault(name) + 1);
        return counts;
    }

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

/// <summary>
/// Repository-wide facts derived from every document: how often each name is used (ranking, repository map)
/// and the lexical index. Computed lazily, once per snapshot lineage between file set changes: edits to open
/// documents keep the facts of their previous text, which ranking and lexical fill tolerate.
/// </summary>
internal sealed class RepositoryFacts
{
    // Every identifier's entry: how often the repository uses it, and where its runs start in _runs.
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly int[] _nameCounts;
    private readonly int[] _runStarts;
    private readonly LexicalRun[] _runs;
    // Where each source's windows start in one numbering of every window, for scores kept in one array.
    private readonly int[] _windowStarts;
    private readonly ConcurrentDictionary<string, int> _windowsWith = new(StringComparer.Ordinal);

    public RepositoryFacts(ImmutableDictionary<string, SourceDocument> documents)
    {
        Sources = documents.Values.Where(d => d.IsContextSource).OrderBy(d => d.Path, StringComparer.Ordinal).ToArray();
        var declarations = new Dictionary<string, List<(SourceDocument, Declaration)>>(StringComparer.Ordinal);
        var extensions = new Dictionary<string, List<(SourceDocument, Declaration)>>(StringComparer.Ordinal);
        // Two passes, counting and then filling exact-size arrays: tens of millions of runs in growing lists would
        // cost a third more memory while they are built, and a list object per identifier after.
        var counts = new List<int>();
        var runCounts = new List<int>();
        _windowStarts = new int[Sources.Length];
        for (int source = 0; source < Sources.Length; source++)
        {
            var document = Sources[source];
            _windowStarts[source] = checked((int)WindowCount);
            foreach (var declaration in document.Declarations)
            {
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(declarations, declaration.Name, out _);
                (list ??= []).Add((document, declaration));
                if (!declaration.IsType && Signatures.ExtendedTypeName(declaration.Text) is { } extended)
                {
                    ref var forType = ref CollectionsMarshal.GetValueRefOrAddDefault(extensions, extended, out _);
                    (forType ??= []).Add((document, declaration));
                }
            }
            var lexical = document.Lexical;
            for (int token = 0; token < lexical.Tokens.Length; token++)
            {
                ref int entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_names, lexical.Tokens[token], out bool exists);
                if (!exists) { entry = counts.Count; counts.Add(0); runCounts.Add(0); }
                counts[entry] += lexical.TokenCounts[token];
                runCounts[entry]++;
            }
            WindowCount += lexical.WindowLengths.Length;
            foreach (int length in lexical.WindowLengths) TotalWindowLength += length;
        }
        _nameCounts = [.. counts];
        _runStarts = new int[runCounts.Count + 1];
        for (int i = 0; i < runCounts.Count; i++) _runStarts[i + 1] = _runStarts[i] + runCounts[i];
        _runs = new LexicalRun[_runStarts[^1]];
        var next = _runStarts[..^1];
        for (int source = 0; source < Sources.Length; source++)
        {
            var tokens = Sources[source].Lexical.Tokens;
            for (int token = 0; token < tokens.Length; token++) _runs[next[_names[tokens[token]]]++] = new LexicalRun(source, token);
        }
        DeclarationsByName = declarations;
        ExtensionsByTypeName = extensions;
        PopularDeclarations = Popular(Sources, NameCount);
    }

    /// <summary>The documents the facts describe, by path; <see cref="LexicalRun.Source"/> indexes them.</summary>
    public SourceDocument[] Sources { get; }

    /// <summary>How often the repository uses the identifier.</summary>
    public int NameCount(string name) => _names.TryGetValue(name, out int entry) ? _nameCounts[entry] : 0;

    /// <summary>The files an identifier occurs in, by <see cref="Sources"/> order: one inverted index, so a lexical query touches only its tokens' windows.</summary>
    public ReadOnlySpan<LexicalRun> RunsOf(string name) =>
        _names.TryGetValue(name, out int entry) ? _runs.AsSpan(_runStarts[entry], _runStarts[entry + 1] - _runStarts[entry]) : [];

    /// <summary>How many windows of all sources hold the identifier (BM25's document frequency), counted once per facts.</summary>
    public int WindowsWith(string name) => _windowsWith.TryGetValue(name, out int known) ? known : _windowsWith.GetOrAdd(name, name =>
    {
        int windows = 0;
        foreach (var run in RunsOf(name)) windows += Sources[run.Source].Lexical.PostingsOf(run.Token).Count();
        return windows;
    });

    /// <summary>The window's number among every window of every source, from 0 to <see cref="WindowCount"/>.</summary>
    public int WindowNumber(int source, int window) => _windowStarts[source] + window;

    /// <summary>
    /// The types the repository names most often, each followed by its most named members, most popular first:
    /// the utility and resource classes any line of this repository may reach for.
    /// </summary>
    public IReadOnlyList<(SourceDocument Document, Declaration Declaration)> PopularDeclarations { get; }

    private static IReadOnlyList<(SourceDocument, Declaration)> Popular(SourceDocument[] sources, Func<string, int> count)
    {
        const int Types = 12;
        const int MembersPerType = 2;
        // One part of a partial type: the others would take the places of other types.
        var types = sources
            .SelectMany(d => d.Declarations.Where(x => x.IsType).Select(x => (d, x)))
            .OrderByDescending(t => count(t.x.Name))
            .ThenBy(t => t.d.Path, StringComparer.Ordinal).ThenBy(t => t.x.Start)
            .DistinctBy(t => t.x.Name)
            .Take(Types);
        var popular = new List<(SourceDocument, Declaration)>();
        foreach (var (document, type) in types)
        {
            popular.Add((document, type));
            popular.AddRange(document.Declarations
                .Where(m => !m.IsType && m.Parent == type.Start)
                .OrderByDescending(m => count(m.Name)).ThenBy(m => m.Start)
                .Take(MembersPerType)
                .Select(m => (document, m)));
        }
        return popular;
    }

    /// <summary>
    /// Extension methods by the simple name of the type they extend, from their rendered text: found for a receiver
    /// whose type does not bind (a package the compilation lacks) or whose extensions' namespace is not imported.
    /// </summary>
    public IReadOnlyDictionary<string, List<(SourceDocument Document, Declaration Declaration)>> ExtensionsByTypeName { get; }

    /// <summary>Types and members of every file by simple name, from syntax alone.</summary>
    public IReadOnlyDictionary<string, List<(SourceDocument Document, Declaration Declaration)>> DeclarationsByName { get; }

    public long WindowCount { get; }
    public long TotalWindowLength { get; }
}

/// <summary>
/// The repository facts of one file set, which in a large repository may lag behind it: when the file set changes,
/// the first query to ask starts building the new facts in the background and answers with the previous ones
/// meanwhile, so that a saved file or a batch of indexed ones never makes a query wait seconds. A small repository
/// (or one with nothing earlier to offer) builds them in the query, in milliseconds, and is never stale.
/// </summary>
internal sealed class RepositoryFactsCell
{
    // Facts over fewer files build in tens of milliseconds: not worth answering with stale ones. Over more, even
    // the first facts of a start (from the index cache) take seconds: the empty ones before them serve meanwhile.
    private const int LagFromFiles = 4096;

    // One build at a time: each holds a large repository's facts twice over while it runs.
    private static readonly object s_building = new();

    private readonly Lazy<RepositoryFacts> _facts;
    private RepositoryFacts? _previous;
    private int _building;
    private volatile bool _superseded;

    public RepositoryFactsCell(ImmutableDictionary<string, SourceDocument> documents, RepositoryFactsCell? previous)
    {
        _facts = new(() => { lock (s_building) return new RepositoryFacts(documents); });
        _previous = documents.Count >= LagFromFiles ? previous?.Latest : null;
        if (previous is not null) previous._superseded = true;
    }

    public RepositoryFacts Value
    {
        get
        {
            var previous = _previous;
            if (previous is null || _facts.IsValueCreated) return _facts.Value;
            if (Interlocked.Exchange(ref _building, 1) == 0)
            {
                _ = Task.Run(() =>
                {
                    // A newer file set came meanwhile (indexing publishes often): build that one instead.
                    if (_superseded) return;
                    _ = _facts.Value;
                    _previous = null; // no longer needed: let it go
                });
            }
            return previous;
        }
    }

    /// <summary>The facts of this file set, built now if need be.</summary>
    public RepositoryFacts Complete() => _facts.Value;

    private RepositoryFacts? Latest => _facts.IsValueCreated ? _facts.Value : _previous;
}

/// <summary>An identifier's postings in one file: <see cref="LexicalWindows.PostingsOf"/> of <see cref="Token"/> in <see cref="RepositoryFacts.Sources"/>[<see cref="Source"/>].</summary>
internal readonly record struct LexicalRun(int Source, int Token);

/// <summary>
/// Everything a query reads, frozen: the compilation over all C# documents and the documents themselves.
/// Writers build a new snapshot under the engine's lock and publish it; readers never lock.
/// </summary>
internal sealed class WorkspaceSnapshot
{
    public WorkspaceSnapshot(CSharpCompilation compilation, ImmutableDictionary<string, SourceDocument> documents, RepositoryFactsCell facts)
        : this(compilation, documents, facts, new(), null, ProjectUsings.None)
    {
    }

    private WorkspaceSnapshot(CSharpCompilation compilation, ImmutableDictionary<string, SourceDocument> documents, RepositoryFactsCell facts,
        CompilationCaches caches, Undo? undo, ProjectUsings usings)
    {
        Compilation = compilation;
        _caches = caches;
        _undo = undo;
        _usings = usings;
        Documents = documents;
        Facts = facts;
    }

    /// <summary>
    /// The global usings the projects' files rely on without writing them (<c>ImplicitUsings</c>, <c>&lt;Using&gt;</c>
    /// items): per project file, and the one tree that declares their union in the compilation — as the SDK's
    /// obj/GlobalUsings.g.cs does — so that <c>var book = await catalog.FindAsync(…)</c> binds where <c>Task</c> is
    /// never imported by hand. One compilation serves every project, so the union: a project without them may see
    /// more names than it declares, never fewer.
    /// </summary>
    private sealed record ProjectUsings(ImmutableDictionary<string, string[]> ByProject, SyntaxTree? Tree)
    {
        public static readonly ProjectUsings None = new(ImmutableDictionary.Create<string, string[]>(StringComparer.Ordinal), null);

        private const string TreePath = "codeassist:/GlobalUsings.g.cs";

        public static bool IsProjectFile(string path) => path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase);

        public ProjectUsings With(IEnumerable<string> changedProjects, ImmutableDictionary<string, SourceDocument> documents, ref CSharpCompilation compilation)
        {
            var byProject = ByProject;
            foreach (var path in changedProjects)
            {
                var usings = documents.ContainsKey(path) ? CSharpProject.Read(path, _ => false)?.GlobalUsings : null;
                byProject = usings is { Count: > 0 } ? byProject.SetItem(path, [.. usings]) : byProject.Remove(path);
            }
            if (byProject == ByProject) return this;
            var names = byProject.Values.SelectMany(u => u).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            SyntaxTree? tree = names.Length == 0 ? null
                : CSharpSyntaxTree.ParseText(string.Concat(names.Select(n => $"global using {n};\n")), new CSharpParseOptions(LanguageVersion.Preview), TreePath);
            if (Tree is not null && tree is not null && Tree.GetText().ContentEquals(tree.GetText())) return new ProjectUsings(byProject, Tree);
            if (Tree is not null) compilation = compilation.RemoveSyntaxTrees(Tree);
            if (tree is not null) compilation = compilation.AddSyntaxTrees(tree);
            return new ProjectUsings(byProject, tree);
        }
    }

    private readonly ProjectUsings _usings;

    /// <summary>What queries derive from one compilation, shared by the snapshots that share it.</summary>
    private sealed class CompilationCaches
    {
        // Semantic models cache what they bind.
        public readonly ConcurrentDictionary<SyntaxTree, SemanticModel> Models = new();
        public readonly ConcurrentDictionary<ISymbol, (string Path, Declaration Declaration)[]> Declarations = new(SymbolEqualityComparer.Default);
        public readonly ConcurrentDictionary<ExpressionSyntax, SymbolInfo> BoundAlone = new();
        public readonly ConcurrentDictionary<INamedTypeSymbol, ISymbol[]> Members = new(SymbolEqualityComparer.Default);
        public int AssemblyAttributesBound;
    }

    private readonly CompilationCaches _caches;

    // Keyed weakly by the edited tree: a keystroke later nobody asks about it again.
    private readonly ConditionalWeakTable<SyntaxTree, StrongBox<SemanticModel?>> _speculativeModels = new();

    /// <summary>
    /// The compilation before the last replacement of one document's tree. When that document's earlier text comes
    /// back (the client closes it unsaved, or undoes a declaration edit) we return to it, with every symbol it had
    /// built, instead of paying for a cold compilation once more.
    /// </summary>
    private sealed record Undo(CSharpCompilation Compilation, CompilationCaches Caches, SyntaxTree TreeBefore, SyntaxTree TreeAfter);

    private readonly Undo? _undo;

    public CSharpCompilation Compilation { get; }

    public SemanticModel ModelFor(SyntaxTree compiledTree) => _caches.Models.GetOrAdd(compiledTree, tree => Compilation.GetSemanticModel(tree));

    /// <summary>
    /// Binds the attributes of the source assembly and module, once per compilation, before a request binds in it. Until
    /// they are bound, Roslyn asks at each use of a source symbol whether the assembly or module is marked obsolete or
    /// experimental by walking every tree's declaration: on mono (26,000 trees) 60 ms of each query in a new compilation.
    /// A bodyless repository's trees hold none of these attributes (<see cref="BodylessTree"/>), and a repository of whole
    /// trees is small. Not for a warm-up: it cannot be cancelled, and a warm-up running it held up the next keystroke.
    /// </summary>
    public void BindAssemblyAttributes()
    {
        if (Interlocked.Exchange(ref _caches.AssemblyAttributesBound, 1) == 1) return;
        Compilation.Assembly.GetAttributes();
        Compilation.SourceModule.GetAttributes();
    }

    /// <summary>
    /// What <paramref name="node"/> of a compiled tree refers to, bound alone (speculatively where it is) rather than with
    /// the statement around it, once per compilation: unlike a semantic model's own bindings, a speculative one is not
    /// kept, and the next keystroke asks about the same names.
    /// </summary>
    public SymbolInfo SymbolInfoAlone(ExpressionSyntax node, SpeculativeBindingOption option) =>
        _caches.BoundAlone.GetOrAdd(node, n => ModelFor(n.SyntaxTree).GetSpeculativeSymbolInfo(n.SpanStart, n, option));

    /// <summary>
    /// The rendered declarations of a source symbol, with their paths, found once per compilation: a query adds the
    /// members of every type near the cursor, thousands of symbols, most of them the same as the last query's.
    /// </summary>
    /// <param name="unlessOnlyIn">A path whose declarations the caller does not want: a symbol declared only there, and
    /// not rendered yet, is not rendered now (the members of a generated class declared in the queried document: thousands).</param>
    public (string Path, Declaration Declaration)[] DeclarationsOf(ISymbol symbol, CancellationToken cancellationToken, string? unlessOnlyIn = null)
    {
        if (_caches.Declarations.TryGetValue(symbol, out var found)) return found;
        if (unlessOnlyIn is not null && symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath == unlessOnlyIn)) return [];
        return _caches.Declarations.GetOrAdd(symbol, FindDeclarations(symbol, cancellationToken));
    }

    /// <summary>
    /// The type's members that code can name, in no particular order, once per compilation: <see cref="INamespaceOrTypeSymbol.GetMembers()"/>
    /// sorts them by their place in the source, which for a generated class of thousands of members was a fifth of the
    /// first query in a file of opentk. Explicit interface implementations, which no name reaches, are left out.
    /// </summary>
    public ISymbol[] MembersOf(INamedTypeSymbol type) =>
        _caches.Members.GetOrAdd(type, static t => [.. t.MemberNames.SelectMany(name => t.GetMembers(name)), .. t.GetTypeMembers()]);

    private (string, Declaration)[] FindDeclarations(ISymbol symbol, CancellationToken cancellationToken)
    {
        var found = new List<(string, Declaration)>();
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            string path = reference.SyntaxTree.FilePath;
            if (!Documents.TryGetValue(path, out var source)) continue;
            // Indexing rendered the file's declarations already; a tree the index did not summarise is rendered now.
            var node = Signatures.Widen(reference.GetSyntax(cancellationToken));
            if ((source.DeclarationAt(reference.SyntaxTree, node.SpanStart) ?? Signatures.Create(node)) is { } declaration)
                found.Add((path, declaration));
        }
        return [.. found];
    }

    /// <summary>The speculative model of an edited tree (see <see cref="BodyEdit"/>), kept while the compilation lasts; null when Roslyn declines.</summary>
    public SemanticModel? SpeculativeModelFor(SyntaxTree editedTree, Func<SemanticModel?> speculate) =>
        _speculativeModels.GetValue(editedTree, _ => new StrongBox<SemanticModel?>(speculate())).Value;
    public ImmutableDictionary<string, SourceDocument> Documents { get; }

    /// <summary>Shared with later snapshots until a file set change makes it stale; edits to open documents keep it.</summary>
    public RepositoryFactsCell Facts { get; }


    /// <summary>A snapshot with these documents added or replaced (null text: removed).</summary>
    public WorkspaceSnapshot With(IReadOnlyList<(string Path, SourceDocument? Document)> changes, bool keepFacts)
    {
        // Only a document compiled as its own text returns: one that differs from its compiled tree by a body edit
        // would be given that tree's text.
        if (changes is [(var undonePath, { CompiledTree: { } undoneTree, Edit: null } undone)] && _undo is { } undo
            && Documents.TryGetValue(undonePath, out var current) && current.CompiledTree == undo.TreeAfter
            && undoneTree.GetText().ContentEquals(undo.TreeBefore.GetText()))
        {
            var restored = undone.WithTree(undo.TreeBefore);
            var withRestored = Documents.SetItem(undonePath, restored);
            return new WorkspaceSnapshot(undo.Compilation, withRestored, keepFacts ? Facts : new RepositoryFactsCell(withRestored, Facts), undo.Caches, null, _usings);
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
                    if (changes.Count == 1) nextUndo = new Undo(compilation, _caches, old.CompiledTree, document.CompiledTree);
                    compilation = compilation.ReplaceSyntaxTree(old.CompiledTree, document.CompiledTree);
                }
            }
            else if (document?.CompiledTree is not null) added.Add(document.CompiledTree);
            if (document is null) documents.Remove(path);
            else documents[path] = document;
        }
        if (added.Count > 0) compilation = compilation.AddSyntaxTrees(added);
        var frozen = documents.ToImmutable();
        var usings = _usings.With(changes.Select(c => c.Path).Where(ProjectUsings.IsProjectFile), frozen, ref compilation);
        bool sameCompilation = compilation == Compilation;
        return new WorkspaceSnapshot(compilation, frozen, keepFacts ? Facts : new RepositoryFactsCell(frozen, Facts),
            sameCompilation ? _caches : new(), sameCompilation ? _undo : usings == _usings ? nextUndo : null, usings);
    }
}
