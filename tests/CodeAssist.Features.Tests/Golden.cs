namespace CodeAssist.Features.Tests;

/// <summary>
/// Golden files under tests/CodeAssist.Features.Tests/golden/: the expected text of a transform, kept in the repository
/// so a change to a prompt or a post-processing step shows up as a diff. <c>UPDATE_GOLDEN=1</c> rewrites them.
/// </summary>
internal static class Golden
{
    public static void Check(string name, string actual)
    {
        var path = Path.Combine(RepositoryRoot, "tests", "CodeAssist.Features.Tests", "golden", name);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"{path} does not exist: run the test with UPDATE_GOLDEN=1 to write it, then review it");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal), actual);
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
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
}
