using System.CommandLine;
using System.Globalization;
using CodeAssist.Features.Commit;
using CodeAssist.Git;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist hook install|uninstall [--repo DIR]</c>: a <c>prepare-commit-msg</c> hook that writes the message when
/// git gives none (not for <c>-m</c>, <c>-F</c>, templates, merges, squashes or amends). It runs this executable, so it
/// works with no server running; it never fails a commit and never holds one up longer than its timeout, after which
/// the message is left empty for the user. A hook already there is kept beside it, run first, and restored by uninstall.
/// </summary>
internal static class HookCommand
{
    public const string HookName = "prepare-commit-msg";
    public const string ReplacedSuffix = ".codeassist-replaced";
    private const string Marker = "# codeassist prepare-commit-msg hook";

    public static Command Create()
    {
        var repo = new Option<DirectoryInfo?>("--repo", "-r") { Description = "The repository (default: the current directory)" };
        var timeout = TimeoutOption();
        var install = new Command("install", "Install the prepare-commit-msg hook that writes commit messages") { repo, timeout };
        install.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, "install", repo,
            (hooks, error) => InstallAsync(hooks, parseResult.GetValue(timeout), error), cancellationToken));
        var uninstall = new Command("uninstall", "Remove the hook and restore the one it replaced") { repo };
        uninstall.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, "uninstall", repo, UninstallAsync, cancellationToken));

        var messageFile = new Argument<FileInfo>("MESSAGE_FILE") { Description = "The file git gives the hook" };
        var source = new Argument<string?>("SOURCE") { Description = "What git says the message came from (message, template, merge, squash, commit)", Arity = ArgumentArity.ZeroOrOne };
        var commit = new Argument<string?>("COMMIT") { Arity = ArgumentArity.ZeroOrOne };
        var runTimeout = TimeoutOption();
        var run = new Command("run", "What the installed hook runs") { messageFile, source, commit, runTimeout };
        run.Hidden = true;
        run.SetAction((parseResult, cancellationToken) => FillAsync(parseResult.GetValue(messageFile)!.FullName, parseResult.GetValue(source),
            TimeSpan.FromSeconds(parseResult.GetValue(runTimeout)), parseResult.InvocationConfiguration.Error, cancellationToken));

        return new Command("hook", "Install or remove the git hook that writes commit messages") { install, uninstall, run };
    }

    private static Option<double> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds the hook may take before it gives up and leaves the message empty",
        DefaultValueFactory = _ => 10,
    };

    private static async Task<int> RunAsync(ParseResult parseResult, string verb, Option<DirectoryInfo?> repo,
        Func<string, TextWriter, Task<int>> action, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            using var repository = await GitRepository.OpenAsync(parseResult.GetValue(repo)?.FullName ?? Environment.CurrentDirectory, GitOptions.Default, cancellationToken);
            string hooks = await repository.HooksDirectoryAsync(cancellationToken);
            int exitCode = await action(hooks, error);
            if (exitCode == 0) await parseResult.InvocationConfiguration.Output.WriteLineAsync($"codeassist hook {verb}: {Path.Combine(hooks, HookName)}");
            return exitCode;
        }
        catch (GitException exception)
        {
            await error.WriteLineAsync($"codeassist hook {verb}: {exception.Message}");
            return 1;
        }
    }

    private static async Task<int> InstallAsync(string hooks, double timeoutSeconds, TextWriter error)
    {
        if (timeoutSeconds <= 0 || double.IsNaN(timeoutSeconds))
        {
            await error.WriteLineAsync("codeassist hook install: --timeout must be more than 0 seconds");
            return 2;
        }
        Directory.CreateDirectory(hooks);
        string hook = Path.Combine(hooks, HookName);
        string replaced = hook + ReplacedSuffix;
        if (File.Exists(hook) && !IsOurs(hook))
        {
            if (File.Exists(replaced))
            {
                await error.WriteLineAsync($"codeassist hook install: {hook} is not ours and {replaced} already exists; move one of them away first");
                return 1;
            }
            File.Move(hook, replaced);
        }
        await File.WriteAllTextAsync(hook, Script(timeoutSeconds));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                       | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return 0;
    }

    private static async Task<int> UninstallAsync(string hooks, TextWriter error)
    {
        string hook = Path.Combine(hooks, HookName);
        string replaced = hook + ReplacedSuffix;
        if (!File.Exists(hook) || !IsOurs(hook))
        {
            await error.WriteLineAsync($"codeassist hook uninstall: {hook} is not codeassist's hook; nothing was changed");
            return 1;
        }
        File.Delete(hook);
        if (File.Exists(replaced))
        {
            File.Move(replaced, hook);
        }
        return 0;
    }

    private static bool IsOurs(string hook) => File.ReadLines(hook).Take(3).Any(line => line.StartsWith(Marker, StringComparison.Ordinal));

    /// <summary>
    /// The hook: runs a hook it replaced first (and fails when that fails, as that hook would have), does nothing when git
    /// gave a source, else runs <c>codeassist hook run</c>; whatever that does, the commit goes on.
    /// </summary>
    private static string Script(double timeoutSeconds)
    {
        string command = string.Join(' ', CodeAssistCommand().Select(Quote));
        string timeout = timeoutSeconds.ToString(CultureInfo.InvariantCulture);
        return $"""
            #!/bin/sh
            {Marker}: writes the commit message when git gives none.
            # Installed by `codeassist hook install`; `codeassist hook uninstall` removes it and restores any hook it replaced.
            replaced="$0{ReplacedSuffix}"
            if [ -x "$replaced" ]; then
              "$replaced" "$@" || exit $?
            fi
            # -m, -F, -t, merges, squashes and amends give a source: their message stays as it is.
            [ -n "$2" ] && exit 0
            {command} hook run "$1" --timeout {timeout} || true
            exit 0

            """;
    }

    /// <summary>This executable as a command line: the <c>codeassist</c> apphost, else <c>dotnet codeassist.dll</c>.</summary>
    private static IEnumerable<string> CodeAssistCommand()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "codeassist")
        {
            return [process];
        }
        // Under `dotnet codeassist.dll` the process is the muxer; in a test host it is found beside the shared runtime.
        string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? process
            : Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..",
                OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return [dotnet, typeof(HookCommand).Assembly.Location];
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";

    /// <summary>
    /// Writes the message above what git put in the file (its comments), unless git gave a source. Gives up after
    /// <paramref name="timeout"/>, leaving the file as it was, and never fails: a commit must not depend on a model.
    /// </summary>
    private static async Task<int> FillAsync(string messageFile, string? source, TimeSpan timeout, TextWriter error, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(source))
        {
            return 0;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        // Work that ignores the token (a native load) must not hold the commit: stop waiting for it at the deadline.
        var writing = Task.Run(() => CommitMessageCommand.WriteAsync(Environment.CurrentDirectory, null, error, deadline.Token), CancellationToken.None);
        await Task.WhenAny(writing, Task.Delay(Timeout.InfiniteTimeSpan, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        if (!writing.IsCompletedSuccessfully)
        {
            string reason = writing.IsFaulted ? writing.Exception!.InnerException!.Message
                : $"no message within {timeout.TotalSeconds:0.#} s; write your own";
            await error.WriteLineAsync($"codeassist: {reason}");
            return 0;
        }
        var message = writing.Result;
        string existing = File.Exists(messageFile) ? await File.ReadAllTextAsync(messageFile, CancellationToken.None) : "";
        if (existing.Split('\n').Any(line => line.Trim().Length > 0 && !line.StartsWith('#')))
        {
            return 0; // someone already wrote a message
        }
        string text = message.Body.Length > 0 ? $"{message.Subject}\n\n{message.Body}\n" : $"{message.Subject}\n";
        await File.WriteAllTextAsync(messageFile, text + existing, CancellationToken.None);
        return 0;
    }
}
