using System.CommandLine;
using System.Text.Json;
using CodeAssist.Features.Commit;
using CodeAssist.Features.Prompts;
using CodeAssist.Git;
using CodeAssist.Models;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist commit-msg [--repo DIR] [--json] [--model PATH]</c>: the message <c>codeassist/commitMessage</c> would
/// answer, without a server. The model is found as the server finds it: <c>--model</c>, else <c>CODEASSIST_MODEL</c>,
/// else the user's settings file.
/// </summary>
internal static class CommitMessageCommand
{
    public static Command Create()
    {
        var repo = new Option<DirectoryInfo?>("--repo", "-r") { Description = "The repository (default: the current directory)" };
        var json = new Option<bool>("--json") { Description = "Print the codeassist/commitMessage result as JSON" };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "A GGUF model (default: CODEASSIST_MODEL, else the settings file's)" };
        var command = new Command("commit-msg", "Write a commit message for the staged changes (the unstaged ones when nothing is staged)") { repo, json, model };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string directory = parseResult.GetValue(repo)?.FullName ?? Environment.CurrentDirectory;
            try
            {
                var message = await WriteAsync(directory, parseResult.GetValue(model)?.FullName, error, cancellationToken);
                if (parseResult.GetValue(json))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(CommitMessageResult.From(message), CommitMessageJson.Default.CommitMessageResult));
                    return 0;
                }
                await output.WriteLineAsync(message.Body.Length > 0 ? $"{message.Subject}\n\n{message.Body}" : message.Subject);
                foreach (var note in message.Notes)
                {
                    await error.WriteLineAsync($"note: {note}");
                }
                return 0;
            }
            catch (Exception exception) when (exception is GitException or CommitMessageException)
            {
                await error.WriteLineAsync($"codeassist commit-msg: {exception.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Opens the model the user chose (a failure to load is a note, not an error) and writes the message.</summary>
    public static async Task<CommitMessage> WriteAsync(string directory, string? modelPath, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = ServerSettings.UserDefaults(warning => error.WriteLine($"warning: {warning}"));
        if (modelPath is not null)
        {
            settings = settings with { Model = modelPath, Remote = null };
        }
        ICodeModel? model = null;
        string noModel = "No model is configured (--model, CODEASSIST_MODEL or the settings file)";
        try
        {
            model = ModelHost.Open(settings, cancellationToken);
        }
        catch (ModelException exception)
        {
            noModel = $"The model could not be loaded ({exception.Message})";
        }
        await using (model)
        {
            var prompts = PromptLibrary.Load([directory], settings.Prompts, warning => error.WriteLine($"warning: {warning}"));
            var options = new CommitOptions { ExcludeGlobs = settings.Exclude, NoModelReason = noModel };
            return await CommitMessageWriter.WriteAsync(directory, model, prompts, options, cancellationToken);
        }
    }
}
