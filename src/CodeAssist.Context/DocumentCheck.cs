using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Context;

/// <summary>
/// Compiles a new C# document as part of a project of the workspace, before a feature offers it (generated tests, a
/// translation into C#): the project's files and those of the projects it references, as the index holds them (the
/// client's text for open documents), its package assemblies, global usings and nullable context, and the running
/// runtime's assemblies for the framework. A file outside every project is compiled on its own against the framework.
/// </summary>
public sealed partial class ContextEngine
{
    // Base compilations (every file of a project but the checked one), per snapshot: a repair loop checks one project
    // again and again, and each check then only binds the new tree.
    private static readonly ConditionalWeakTable<WorkspaceSnapshot, ConcurrentDictionary<string, CSharpCompilation>> s_projectCompilations = new();

    /// <summary>The C# projects of the workspace (their project files as indexed), by path.</summary>
    public IReadOnlyList<CSharpProject> Projects() => ProjectsOf(_snapshot);

    /// <summary>The project whose folder holds <paramref name="path"/> most closely; null when none does.</summary>
    public CSharpProject? ProjectOf(string path)
    {
        path = NormalizePath(path);
        return ProjectsOf(_snapshot)
            .Where(p => path.StartsWith(p.Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .MaxBy(p => p.Directory.Length);
    }

    /// <summary>The C# files that belong to the project (not to a project nested in its folder), by path.</summary>
    public IReadOnlyList<string> ProjectDocuments(CSharpProject project)
    {
        var snapshot = _snapshot;
        var projects = ProjectsOf(snapshot);
        return snapshot.Documents.Keys
            .Where(path => WorkspaceFiles.IsCSharp(path)
                && projects.Where(p => path.StartsWith(p.Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)).MaxBy(p => p.Directory.Length)?.Path == project.Path)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Whether a file is there: open in the client, or on disk.</summary>
    public bool Exists(string path)
    {
        path = NormalizePath(path);
        return _snapshot.Documents.TryGetValue(path, out var document) && document.IsOpen || File.Exists(path);
    }

    /// <summary>
    /// The errors and warnings of <paramref name="text"/> compiled as the file <paramref name="path"/> of the project that
    /// would hold it (<see cref="ProjectOf"/>); spans are in <paramref name="text"/>. An existing file at that path is
    /// replaced by the text for the check.
    /// </summary>
    public IReadOnlyList<CodeDiagnostic> CheckDocument(string path, string text, CancellationToken cancellationToken)
    {
        path = NormalizePath(path);
        var snapshot = _snapshot;
        var project = ProjectOf(path);
        var tree = CSharpSyntaxTree.ParseText(text, s_parseOptions, path, cancellationToken: cancellationToken);
        bool topLevel = tree.GetCompilationUnitRoot(cancellationToken).Members.Any(m => m is GlobalStatementSyntax);
        var compilation = BaseCompilation(snapshot, project, path, cancellationToken);
        if (topLevel) compilation = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
        compilation = compilation.AddSyntaxTrees(tree);
        var diagnostics = tree.GetDiagnostics(cancellationToken)
            .Concat(compilation.GetSemanticModel(tree).GetDiagnostics(cancellationToken: cancellationToken))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree == tree)
            .Distinct()
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal);
        var parsed = tree.GetText(cancellationToken);
        return diagnostics.Select(d => new CodeDiagnostic(d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            LspPosition.Range(parsed, d.Location.SourceSpan), d.Severity == DiagnosticSeverity.Error)).ToArray();
    }

    private static IReadOnlyList<CSharpProject> ProjectsOf(WorkspaceSnapshot snapshot)
    {
        var sources = snapshot.Documents.Values.Where(d => d.Path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d.Path, StringComparer.Ordinal).ToArray();
        var projects = new List<CSharpProject>();
        foreach (var source in sources)
        {
            string directory = Path.GetDirectoryName(source.Path)! + Path.DirectorySeparatorChar;
            bool SourceUses(string identifier) => snapshot.Documents.Values.Any(d =>
                d.Path.StartsWith(directory, StringComparison.Ordinal) && WorkspaceFiles.IsCSharp(d.Path) && d.IdentifierCounts.ContainsKey(identifier));
            if (CSharpProject.Read(source.Path, SourceUses) is { } project) projects.Add(project);
        }
        return projects;
    }

    /// <summary>Every C# file of the project and the projects it references (transitively), but <paramref name="excludedPath"/>.</summary>
    private static CSharpCompilation BaseCompilation(WorkspaceSnapshot snapshot, CSharpProject? project, string excludedPath, CancellationToken cancellationToken)
    {
        var cache = s_projectCompilations.GetValue(snapshot, _ => new ConcurrentDictionary<string, CSharpCompilation>(StringComparer.Ordinal));
        string key = (project?.Path ?? "") + "|" + excludedPath;
        if (cache.TryGetValue(key, out var cached)) return cached;

        var projects = project is null ? [] : ProjectsOf(snapshot);
        var included = new List<CSharpProject>();
        var pending = new Stack<CSharpProject>();
        if (project is not null) pending.Push(project);
        while (pending.TryPop(out var next))
        {
            if (included.Any(p => p.Path == next.Path)) continue;
            included.Add(next);
            foreach (var reference in next.ProjectReferences)
            {
                if (projects.FirstOrDefault(p => p.Path == reference) is { } referenced) pending.Push(referenced);
            }
        }
        // A file belongs to the project whose folder holds it most closely.
        CSharpProject? Owner(string path) => projects.Where(p => path.StartsWith(p.Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)).MaxBy(p => p.Directory.Length);
        var trees = snapshot.Documents.Values
            .Where(d => d.CompiledTree is not null && d.Path != excludedPath && Owner(d.Path) is { } owner && included.Any(p => p.Path == owner.Path))
            .OrderBy(d => d.Path, StringComparer.Ordinal)
            .Select(d => d.CompiledTree!)
            .ToList();
        // A file outside every project compiles as a new project would: with the SDK's implicit usings.
        var usings = project?.GlobalUsings ?? CSharpProject.ImplicitUsings;
        if (usings.Count > 0)
        {
            trees.Add(CSharpSyntaxTree.ParseText(string.Concat(usings.Select(u => $"global using {u};\n")), s_parseOptions,
                Path.Combine(project?.Directory ?? Path.GetDirectoryName(excludedPath)!, "obj", "GlobalUsings.g.cs"), cancellationToken: cancellationToken));
        }
        var references = s_frameworkReferences.Value.AddRange(project is null ? [] : PackageAssemblies.For(project, cancellationToken));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, concurrentBuild: false,
            nullableContextOptions: project?.Nullable == true ? NullableContextOptions.Enable : NullableContextOptions.Disable);
        var compilation = CSharpCompilation.Create(project?.Name ?? "Check", trees, references, options);
        return cache.GetOrAdd(key, compilation);
    }
}

/// <summary>
/// The compile-time assemblies of a project's packages: from its restore output (<c>obj/project.assets.json</c>) when it
/// has one, else from the NuGet packages folder, following each package's dependencies in its <c>.nuspec</c>. Packages the
/// running runtime already provides (<c>System.*</c>, <c>NETStandard.Library</c>, …) are left out: the runtime's own
/// assemblies stand for the framework.
/// </summary>
internal static class PackageAssemblies
{
    private static readonly ConcurrentDictionary<string, MetadataReference> s_references = new(StringComparer.Ordinal);

    // The library folders a package may have, best first for a .NET 10 project.
    private static readonly string[] s_frameworks =
        ["net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netstandard2.1", "netstandard2.0", "netstandard1.6",
         "netstandard1.3", "netstandard1.1", "netstandard1.0"];

    public static ImmutableArray<MetadataReference> For(CSharpProject project, CancellationToken cancellationToken)
    {
        var files = FromAssets(project) ?? FromPackagesFolder(project, cancellationToken);
        return files.Where(File.Exists).Order(StringComparer.Ordinal)
            .Select(file => s_references.GetOrAdd(file, f => MetadataReference.CreateFromFile(f)))
            .ToImmutableArray();
    }

    private static bool ProvidedByRuntime(string id) =>
        id.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || id.StartsWith("Microsoft.NETCore.", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("runtime.", StringComparison.OrdinalIgnoreCase) || id.Equals("NETStandard.Library", StringComparison.OrdinalIgnoreCase)
        || id.Equals("Microsoft.CSharp", StringComparison.OrdinalIgnoreCase) || id.Equals("Microsoft.Win32.Primitives", StringComparison.OrdinalIgnoreCase);

    private static List<string>? FromAssets(CSharpProject project)
    {
        string assets = Path.Combine(project.Directory, "obj", "project.assets.json");
        if (!File.Exists(assets)) return null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(assets));
            var root = document.RootElement;
            var folders = root.GetProperty("packageFolders").EnumerateObject().Select(f => f.Name).ToArray();
            var libraries = root.GetProperty("libraries");
            var files = new List<string>();
            foreach (var target in root.GetProperty("targets").EnumerateObject().Take(1))
            {
                foreach (var library in target.Value.EnumerateObject())
                {
                    if (!library.Value.TryGetProperty("type", out var type) || type.GetString() != "package") continue;
                    if (ProvidedByRuntime(library.Name.Split('/')[0]) || !library.Value.TryGetProperty("compile", out var compile)) continue;
                    string relative = libraries.TryGetProperty(library.Name, out var info) && info.TryGetProperty("path", out var p) ? p.GetString()! : library.Name.ToLowerInvariant();
                    foreach (var file in compile.EnumerateObject().Select(f => f.Name).Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
                    {
                        if (folders.Select(folder => Path.Combine(folder, relative, file)).FirstOrDefault(File.Exists) is { } found) files.Add(found);
                    }
                }
            }
            return files;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or IOException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<string> FromPackagesFolder(CSharpProject project, CancellationToken cancellationToken)
    {
        string folder = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var files = new List<string>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<(string Id, string? Version)>(project.PackageReferences.Select(p => (p.Key, p.Value)));
        while (pending.TryPop(out var package))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ProvidedByRuntime(package.Id) || !visited.Add(package.Id)) continue;
            string packageFolder = Path.Combine(folder, package.Id.ToLowerInvariant());
            if (!Directory.Exists(packageFolder)) continue;
            string? version = Version(packageFolder, package.Version);
            if (version is null) continue;
            string root = Path.Combine(packageFolder, version);
            if (s_frameworks.Select(f => Path.Combine(root, "lib", f)).FirstOrDefault(Directory.Exists) is { } lib)
                files.AddRange(Directory.EnumerateFiles(lib, "*.dll"));
            foreach (var dependency in Dependencies(Path.Combine(root, package.Id.ToLowerInvariant() + ".nuspec")))
                pending.Push(dependency);
        }
        return files;
    }

    /// <summary>The installed version a reference asks for (its lowest allowed version), else the highest installed.</summary>
    private static string? Version(string packageFolder, string? requested)
    {
        var installed = Directory.EnumerateDirectories(packageFolder).Select(Path.GetFileName).OfType<string>().ToArray();
        string? wanted = requested?.Trim('[', ']', '(', ')', ' ').Split(',')[0].Trim();
        if (wanted is { Length: > 0 } && installed.FirstOrDefault(v => v.Equals(wanted, StringComparison.OrdinalIgnoreCase)) is { } exact) return exact;
        return installed.OrderByDescending(v => System.Version.TryParse(v.Split('-')[0], out var parsed) ? parsed : new Version(0, 0)).FirstOrDefault();
    }

    /// <summary>A package's dependencies for the best framework group of its .nuspec (or its ungrouped list).</summary>
    private static IEnumerable<(string Id, string? Version)> Dependencies(string nuspec)
    {
        if (!File.Exists(nuspec)) return [];
        System.Xml.Linq.XElement? root;
        try
        {
            root = System.Xml.Linq.XDocument.Load(nuspec).Root;
        }
        catch (Exception exception) when (exception is System.Xml.XmlException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var dependencies = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "dependencies");
        if (dependencies is null) return [];
        var groups = dependencies.Elements().Where(e => e.Name.LocalName == "group").ToArray();
        var chosen = groups.Length == 0 ? dependencies
            : s_frameworks.Select(f => groups.FirstOrDefault(g => Normalize(g.Attribute("targetFramework")?.Value) == f)).FirstOrDefault(g => g is not null)
              ?? groups.FirstOrDefault(g => g.Attribute("targetFramework") is null);
        if (chosen is null) return [];
        return chosen.Elements().Where(e => e.Name.LocalName == "dependency" && e.Attribute("id") is not null)
            .Select(e => (e.Attribute("id")!.Value, e.Attribute("version")?.Value)).ToArray();
    }

    /// <summary>.NETStandard1.1 → netstandard1.1, net6.0 stays.</summary>
    private static string? Normalize(string? framework) => framework?.ToLowerInvariant() switch
    {
        null => null,
        var f when f.StartsWith(".netstandard", StringComparison.Ordinal) => "netstandard" + f[".netstandard".Length..],
        var f when f.StartsWith(".netcoreapp", StringComparison.Ordinal) => "netcoreapp" + f[".netcoreapp".Length..],
        var f => f,
    };
}
