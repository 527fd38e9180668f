using System.Xml;
using System.Xml.Linq;

namespace CodeAssist.Context;

/// <summary>
/// A C# project of the workspace as its project file and the nearest <c>Directory.Build.props</c> and
/// <c>Directory.Packages.props</c> above it say: enough to compile a new file the way the project would (its references,
/// global usings, nullable context) and to tell a test project and its framework. MSBuild is not evaluated: conditions
/// are not read, and items under a condition are left out rather than guessed.
/// </summary>
/// <param name="TestFramework"><c>xunit</c>, <c>nunit</c>, <c>mstest</c>, or null for a project that is not a test project.</param>
/// <param name="PackageReferences">Package id → version (null when no version is written anywhere).</param>
public sealed record CSharpProject(
    string Path,
    string Name,
    string RootNamespace,
    string? TestFramework,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyDictionary<string, string?> PackageReferences,
    IReadOnlyList<string> GlobalUsings,
    bool Nullable)
{
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public bool IsTestProject => TestFramework is not null;

    /// <summary>What <c>&lt;ImplicitUsings&gt;enable&lt;/ImplicitUsings&gt;</c> adds for Microsoft.NET.Sdk.</summary>
    internal static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>The project a project file describes; null when the file is not a readable MSBuild project.</summary>
    /// <param name="sourceUses">Whether the project's C# files use an identifier: tells a test framework where no package says it.</param>
    internal static CSharpProject? Read(string path, Func<string, bool> sourceUses)
    {
        var project = Load(path);
        if (project is null) return null;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var usings = new List<string>();
        var packages = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var projectReferences = new List<string>();
        // The nearest Directory.Build.props first, so the project file's own values win.
        if (Nearest(System.IO.Path.GetDirectoryName(path)!, "Directory.Build.props") is { } buildProps && Load(buildProps) is { } props)
            Collect(props, buildProps, properties, usings, packages, projectReferences);
        Collect(project, path, properties, usings, packages, projectReferences);
        if (Nearest(System.IO.Path.GetDirectoryName(path)!, "Directory.Packages.props") is { } packagesProps && Load(packagesProps) is { } central)
        {
            foreach (var version in Unconditional(central, "PackageVersion"))
            {
                if (version.Attribute("Include")?.Value is { } id && packages.ContainsKey(id) && packages[id] is null)
                    packages[id] = version.Attribute("Version")?.Value;
            }
        }

        bool IsOn(string name) => properties.TryGetValue(name, out var value) && value.Trim() is var v
            && (v.Equals("enable", StringComparison.OrdinalIgnoreCase) || v.Equals("true", StringComparison.OrdinalIgnoreCase));
        if (IsOn("ImplicitUsings")) usings.InsertRange(0, ImplicitUsings);
        string name = System.IO.Path.GetFileNameWithoutExtension(path);
        string rootNamespace = properties.TryGetValue("RootNamespace", out var root) && root.Trim().Length > 0 ? root.Trim() : name.Replace('-', '_').Replace(' ', '_');
        return new CSharpProject(path, name, rootNamespace, FrameworkOf(name, properties, packages, sourceUses), projectReferences, packages,
            usings.Distinct(StringComparer.Ordinal).ToArray(),
            properties.TryGetValue("Nullable", out var nullable) && nullable.Trim() is "enable" or "annotations" or "warnings");
    }

    private static string? FrameworkOf(string name, Dictionary<string, string> properties, Dictionary<string, string?> packages, Func<string, bool> sourceUses)
    {
        bool Has(params string[] ids) => ids.Any(packages.ContainsKey);
        if (Has("xunit", "xunit.v3", "xunit.core", "xunit.assert")) return "xunit";
        if (Has("NUnit", "nunit.framework")) return "nunit";
        if (Has("MSTest", "MSTest.TestFramework")) return "mstest";
        bool declared = properties.TryGetValue("IsTestProject", out var value) && value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
        if (!declared && !Has("Microsoft.NET.Test.Sdk") && !name.EndsWith("Tests", StringComparison.Ordinal) && !name.EndsWith(".Test", StringComparison.Ordinal)) return null;
        // A test project whose framework comes from elsewhere (a conditional item, a shared props file): its tests say which.
        if (sourceUses("Fact") || sourceUses("Theory")) return "xunit";
        if (sourceUses("TestFixture") || sourceUses("NUnit")) return "nunit";
        if (sourceUses("TestMethod") || sourceUses("TestClass")) return "mstest";
        return null;
    }

    private static void Collect(XElement root, string path, Dictionary<string, string> properties, List<string> usings, Dictionary<string, string?> packages,
        List<string> projectReferences)
    {
        foreach (var group in root.Elements().Where(e => e.Name.LocalName == "PropertyGroup" && e.Attribute("Condition") is null))
        {
            foreach (var property in group.Elements().Where(e => e.Attribute("Condition") is null))
                properties[property.Name.LocalName] = property.Value;
        }
        foreach (var item in Unconditional(root, "Using"))
        {
            if (item.Attribute("Include")?.Value is not { Length: > 0 } include) continue;
            usings.Add(item.Attribute("Alias")?.Value is { Length: > 0 } alias ? $"{alias} = global::{include}"
                : item.Attribute("Static")?.Value is "true" ? $"static global::{include}"
                : $"global::{include}");
        }
        foreach (var item in Unconditional(root, "PackageReference"))
        {
            if (item.Attribute("Include")?.Value is { Length: > 0 } id)
                packages[id] = item.Attribute("Version")?.Value ?? item.Element(item.Name.Namespace + "Version")?.Value ?? packages.GetValueOrDefault(id);
        }
        foreach (var item in Unconditional(root, "ProjectReference"))
        {
            if (item.Attribute("Include")?.Value is { Length: > 0 } include)
                projectReferences.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, include.Replace('\\', '/'))));
        }
    }

    private static IEnumerable<XElement> Unconditional(XElement root, string itemName) =>
        root.Elements().Where(e => e.Name.LocalName == "ItemGroup" && e.Attribute("Condition") is null)
            .SelectMany(g => g.Elements().Where(e => e.Name.LocalName == itemName && e.Attribute("Condition") is null));

    private static XElement? Load(string path)
    {
        var (text, _) = WorkspaceFiles.Read(path);
        if (text is null) return null;
        try
        {
            return XDocument.Parse(text).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string? Nearest(string directory, string fileName)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            string candidate = System.IO.Path.Combine(current.FullName, fileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
