using System.Diagnostics;
using System.Text;

namespace CodeAssist.Git.Tests;

/// <summary>
/// A real git repository in a temporary folder, made and changed with the git CLI, deleted afterwards. Commits use a
/// fixed identity and ignore the machine's git configuration, so tests see the same history everywhere.
/// </summary>
public sealed class TempRepository : IDisposable
{
    public TempRepository(string? initArguments = null, bool init = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "codeassist-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        if (init)
        {
            Git($"init -q -b main {initArguments}");
        }
    }

    public string Root { get; }

    public string Write(string relativePath, string text) => WriteBytes(relativePath, Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string relativePath, byte[] bytes)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(Root, relativePath));

    private int _commits;

    /// <summary>
    /// Stages everything and commits it, a minute after the previous commit (history is ordered by date, and commits
    /// made within one second would tie); returns the commit id.
    /// </summary>
    public string Commit(string message)
    {
        Git("add -A");
        string date = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(++_commits).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var (exitCode, output) = Run(Root, "commit -q --allow-empty -m", [message], allowFailure: true, [("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)]);
        Assert.True(exitCode == 0, $"git commit failed: {output}");
        return Git("rev-parse HEAD").Trim();
    }

    /// <summary>Commits <paramref name="text"/> to <paramref name="relativePath"/> on a new branch, then checks main out again.</summary>
    public void CommitOnNewBranch(string branch, string relativePath, string text, string message)
    {
        Git($"checkout -q -b {branch}");
        Write(relativePath, text);
        Commit(message);
        Git("checkout -q main");
    }

    /// <summary>Runs git in the repository (arguments split on spaces, then <paramref name="extra"/> verbatim); stdout.</summary>
    public string Git(string arguments, params string[] extra) => Run(Root, arguments, extra, allowFailure: false).Output;

    /// <summary>Runs git and returns its exit code and output without failing the test.</summary>
    public (int ExitCode, string Output) TryGit(string arguments, params string[] extra) => Run(Root, arguments, extra, allowFailure: true);

    public byte[] GitBytes(string arguments)
    {
        using var process = Start(Root, arguments, []);
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        return output.ToArray();
    }

    /// <summary>Runs a shell command in the repository (for what .NET strings cannot say, such as file names that are not UTF-8).</summary>
    public void Shell(string command)
    {
        var (exitCode, output) = TryShell(command);
        Assert.True(exitCode == 0, $"sh -c {command} failed: {output}");
    }

    /// <summary>Runs a shell command with the tests' git environment; its exit code and stdout+stderr.</summary>
    public (int ExitCode, string Output) TryShell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Root, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static (int ExitCode, string Output) Run(string directory, string arguments, string[] extra, bool allowFailure,
        IEnumerable<(string Name, string Value)>? environment = null)
    {
        using var process = Start(directory, arguments, extra, environment);
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (!allowFailure)
        {
            Assert.True(process.ExitCode == 0, $"git {arguments} {string.Join(' ', extra)} failed: {error.Result}");
        }
        return (process.ExitCode, output + error.Result);
    }

    private static Process Start(string directory, string arguments, string[] extra, IEnumerable<(string Name, string Value)>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in Environment.Concat(environment ?? []))
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>What every git the tests start sees: a fixed identity and no machine or user configuration.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> Environment =
    [
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("GIT_AUTHOR_NAME", "Ada Tester"),
        ("GIT_AUTHOR_EMAIL", "ada@example.com"),
        ("GIT_COMMITTER_NAME", "Ada Tester"),
        ("GIT_COMMITTER_EMAIL", "ada@example.com"),
    ];

    /// <summary>rm -rf, since .NET cannot name files whose names are not UTF-8 and a test may chown the folder.</summary>
    public void Dispose()
    {
        var start = new ProcessStartInfo("rm") { ArgumentList = { "-rf", Root } };
        using var process = Process.Start(start)!;
        process.WaitForExit();
    }
}
