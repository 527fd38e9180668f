using System.Diagnostics;
using System.Text;

namespace CodeAssist.Git;

/// <summary>
/// The <c>git</c> executable and the one way we run it: arguments as a list (no shell), the repository root as working
/// directory, <c>GIT_OPTIONAL_LOCKS=0</c> so reading never takes the index lock from a concurrent <c>git</c>, output read
/// as bytes, and a cancelled wait kills the process. The rest of the environment is inherited: inside a hook,
/// <c>GIT_INDEX_FILE</c> names the index that is about to be committed.
/// </summary>
internal sealed class GitCommandLine(string executable, string? indexFile = null)
{
    public string Executable { get; } = executable;

    /// <summary>git on <paramref name="searchPath"/> (a PATH-style list), or null when it is not there.</summary>
    /// <param name="indexFile">The index every run reads (<c>GIT_INDEX_FILE</c>); null = the repository's own.</param>
    public static GitCommandLine? Find(string? searchPath, string? indexFile)
    {
        foreach (string directory in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "git.exe" : "git");
            if (File.Exists(candidate))
            {
                return new GitCommandLine(candidate, indexFile);
            }
        }
        return null;
    }

    public async Task<GitOutput> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, byte[]? input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        if (indexFile is not null)
        {
            start.Environment["GIT_INDEX_FILE"] = indexFile;
        }
        // Untranslated messages, so the few we recognise (ownership, not a repository) read the same everywhere.
        start.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException)
        {
            throw new GitException($"Could not run {Executable}: {exception.Message}", exception);
        }

        try
        {
            var output = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            var writing = WriteInputAsync(process.StandardInput.BaseStream, input, cancellationToken);
            await Task.WhenAll(reading, error, writing);
            await process.WaitForExitAsync(cancellationToken);
            return new GitOutput(process.ExitCode, output.ToArray(), await error);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
        catch (IOException)
        {
            // git died while we wrote to it or read from it; its exit code and stderr say why.
            Kill(process);
            throw new GitException($"git {string.Join(' ', arguments)} failed in {workingDirectory}");
        }
    }

    private static async Task WriteInputAsync(Stream stdin, byte[]? input, CancellationToken cancellationToken)
    {
        await using (stdin)
        {
            if (input is { Length: > 0 })
            {
                await stdin.WriteAsync(input, cancellationToken);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }
}

/// <summary>What one git run printed; <see cref="Output"/> is stdout as bytes, <see cref="Error"/> stderr as text.</summary>
internal sealed record GitOutput(int ExitCode, byte[] Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public string Text => Encoding.UTF8.GetString(Output);
}
