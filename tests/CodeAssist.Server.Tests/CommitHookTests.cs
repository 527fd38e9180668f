using System.CommandLine;
using CodeAssist.Git.Tests;
using CodeAssist.Server.Cli;

namespace CodeAssist.Server.Tests;

/// <summary>
/// The prepare-commit-msg hook with real <c>git commit</c>s: it runs the built <c>codeassist.dll</c> beside the tests, with
/// no server and no model (an empty settings folder), so messages come from the API changes.
/// </summary>
public sealed class CommitHookTests
{
    private static TempRepository Staged()
    {
        var repository = new TempRepository();
        repository.Write("src/Shelf.cs", "public class Shelf\n{\n    public void Sort() { }\n}\n");
        repository.Commit("Add the shelf");
        repository.Write("src/Shelf.cs", "public class Shelf\n{\n    public void Sort() { }\n\n    public void Shuffle() { }\n}\n");
        repository.Git("add -A");
        return repository;
    }

    /// <summary>Installs the hook through the real command line (the test's own copy of the CLI).</summary>
    private static async Task InstallAsync(TempRepository repository, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var parse = HookCommand.Create().Parse(["install", "--repo", repository.Root, .. extra]);
        int exitCode = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(exitCode == 0, error.ToString());
    }

    /// <summary>
    /// git commit with an editor that keeps what the hook wrote, or writes "Written by hand" when the message is still
    /// empty; no user settings, so no model.
    /// </summary>
    private static (int ExitCode, string Output) Commit(TempRepository repository, string arguments = "")
    {
        string editor = Path.Combine(repository.Root, ".git", "editor.sh");
        File.WriteAllText(editor, "#!/bin/sh\ngrep -v '^#' \"$1\" | grep -q '[^[:space:]]' || echo 'Written by hand' > \"$1\"\n");
        repository.Shell($"chmod +x {editor}");
        string settings = Path.Combine(repository.Root, ".git", "no-settings");
        return repository.TryShell($"XDG_CONFIG_HOME={settings} CODEASSIST_MODEL= git -c core.editor={editor} commit -q {arguments}");
    }

    private static string LastMessage(TempRepository repository) => repository.Git("log -1 --format=%B").Trim();

    [Fact]
    public async Task A_commit_without_a_message_gets_one_from_the_hook()
    {
        using var repository = Staged();
        await InstallAsync(repository);

        var (exitCode, output) = Commit(repository);

        Assert.True(exitCode == 0, output);
        Assert.Equal("Add Shelf.Shuffle\n\n- Add Shelf.Shuffle()", LastMessage(repository));
    }

    [Fact]
    public async Task A_commit_with_m_keeps_its_message()
    {
        using var repository = Staged();
        await InstallAsync(repository);

        var (exitCode, output) = Commit(repository, "-m Mine");

        Assert.True(exitCode == 0, output);
        Assert.Equal("Mine", LastMessage(repository));
    }

    [Fact]
    public async Task A_hook_that_runs_out_of_time_leaves_the_message_to_the_user_and_the_commit_proceeds()
    {
        using var repository = Staged();
        await InstallAsync(repository, "--timeout", "0.001");

        var (exitCode, output) = Commit(repository);

        Assert.True(exitCode == 0, output);
        Assert.Equal("Written by hand", LastMessage(repository));
        Assert.Contains("no message within", output);
    }

    [Fact]
    public async Task A_hook_already_there_runs_first_and_uninstall_restores_it()
    {
        using var repository = Staged();
        string hook = Path.Combine(repository.Root, ".git", "hooks", "prepare-commit-msg");
        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        const string theirs = "#!/bin/sh\necho ran >> \"$(dirname \"$0\")/../their-hook-ran\"\n";
        File.WriteAllText(hook, theirs);
        repository.Shell($"chmod +x {hook}");
        await InstallAsync(repository);
        await InstallAsync(repository); // a second install keeps the hook it replaced, not itself

        var (exitCode, output) = Commit(repository);
        var uninstall = HookCommand.Create().Parse(["uninstall", "--repo", repository.Root]);
        int uninstalled = await uninstall.InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() });

        Assert.True(exitCode == 0, output);
        Assert.Equal("Add Shelf.Shuffle\n\n- Add Shelf.Shuffle()", LastMessage(repository));
        Assert.True(File.Exists(Path.Combine(repository.Root, ".git", "their-hook-ran")));
        Assert.Equal(0, uninstalled);
        Assert.Equal(theirs, File.ReadAllText(hook));
        Assert.False(File.Exists(hook + ".codeassist-replaced"));
    }
}
