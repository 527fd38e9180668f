namespace CodeAssist.Git.Tests;

/// <summary>A cancelled wait on git kills git and whatever it started, and surfaces as a cancellation.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Cancelling_a_running_git_kills_its_whole_process_tree()
    {
        using var repository = new TempRepository();
        string pidFile = Path.Combine(repository.Root, "shell.pid");
        var git = GitCommandLine.Find(Environment.GetEnvironmentVariable("PATH"), null)!;
        using var cancellation = new CancellationTokenSource();

        // A real git running an alias that never ends on its own: git starts a shell, which records its id and sleeps.
        var running = git.RunAsync(repository.Root, ["-c", $"alias.wait=!echo $$ > {pidFile}; sleep 300", "wait"], null, cancellation.Token);
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0)
        {
            Assert.False(running.IsCompleted, "git ended before it was cancelled");
            await Task.Delay(20);
        }
        int shell = int.Parse(File.ReadAllText(pidFile).Trim());
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        for (int i = 0; i < 500 && IsRunning(shell); i++)
        {
            await Task.Delay(20);
        }
        Assert.False(IsRunning(shell), $"the shell git started ({shell}) still runs");
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_starts_no_git()
    {
        using var repository = new TempRepository();
        var git = GitCommandLine.Find(Environment.GetEnvironmentVariable("PATH"), null)!;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => git.RunAsync(repository.Root, ["status"], null, new CancellationToken(canceled: true)));
    }

    /// <summary>Alive and not a zombie waiting for a parent that was killed.</summary>
    private static bool IsRunning(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
