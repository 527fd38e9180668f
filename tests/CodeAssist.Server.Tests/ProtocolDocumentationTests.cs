using System.Reflection;

namespace CodeAssist.Server.Tests;

/// <summary>Clients are written against docs/protocol.md, so every custom method the server handles must be in it.</summary>
public class ProtocolDocumentationTests
{
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CodeAssist.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("CodeAssist.sln not found above the test's directory");
    }

    [Fact]
    public void Every_codeassist_method_has_a_section_in_docs_protocol_md()
    {
        var methods = typeof(LanguageServer).Assembly.GetTypes()
            .Select(t => t.GetField("Method", BindingFlags.Public | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true })
            .Select(f => (string)f!.GetRawConstantValue()!)
            .Where(m => m.StartsWith("codeassist/", StringComparison.Ordinal))
            .ToArray();
        var document = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "protocol.md"));

        Assert.Contains("codeassist/status", methods);
        Assert.All(methods, method => Assert.Contains($"### `{method}`", document));
    }
}
