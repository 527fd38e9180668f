using System.CommandLine;
using System.Text.Json;
using CodeAssist.Context;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist context FILE --line L --column C --budget N</c>: the engine behind <c>codeassist/context</c>,
/// on the command line. Lines and columns are 1-based here, as editors and compilers print them.
/// </summary>
internal static class ContextCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The document the cursor is in" };
        var line = new Option<int>("--line", "-l") { Description = "The cursor's line, 1-based", Required = true };
        var column = new Option<int>("--column", "-c") { Description = "The cursor's column in UTF-16 code units, 1-based", Required = true };
        var budget = new Option<int>("--budget", "-b") { Description = "Token budget for the context (4 characters a token)", DefaultValueFactory = _ => 2048 };
        var workspace = new Option<DirectoryInfo?>("--workspace", "-w") { Description = "The workspace folder (default: the nearest folder above FILE with .git or a solution)" };
        var json = new Option<bool>("--json") { Description = "Print the codeassist/context result as JSON" };
        var command = new Command("context", "Print the cross-file context CodeAssist retrieves for a cursor position") { file, line, column, budget, workspace, json };
        command.Validators.Add(result =>
        {
            if (result.GetValue(line) < 1 || result.GetValue(column) < 1)
            {
                result.AddError("--line and --column are 1-based: both must be at least 1");
            }
            if (result.GetValue(budget) < 1)
            {
                result.AddError("--budget must be at least 1");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"codeassist context: {path} does not exist");
                return 2;
            }
            var folder = parseResult.GetValue(workspace)?.FullName ?? WorkspaceRoot(path);
            // The server's index cache: a command run again, or after the editor indexed the folder, reads only what changed.
            using var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [folder], CacheDirectory = ServerSettings.Default.IndexCache });
            await engine.IndexAsync(null, cancellationToken);
            ContextResult result;
            try
            {
                result = engine.GetContext(path, parseResult.GetValue(line) - 1, parseResult.GetValue(column) - 1, parseResult.GetValue(budget), cancellationToken);
            }
            catch (ContextException exception)
            {
                await error.WriteLineAsync($"codeassist context: {exception.Message}");
                return 1;
            }

            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(ContextResponse.From(result), ProtocolJson.Default.ContextResponse));
                return 0;
            }
            foreach (var item in result.Items)
            {
                await output.WriteLineAsync($"── {item.Kind}  {Path.GetRelativePath(folder, item.Path)}:{item.Range.StartLine + 1}-{item.Range.EndLine + 1}  ({engine.CountTokens(item.Text)} tokens)");
                await output.WriteLineAsync(item.Text.TrimEnd());
            }
            await output.WriteLineAsync($"{result.Items.Count} items, {result.Tokens} of {parseResult.GetValue(budget)} tokens; indexed {engine.Status.FilesIndexed} files under {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>The nearest folder above <paramref name="path"/> that holds a repository or a solution.</summary>
    internal static string WorkspaceRoot(string path)
    {
        for (var directory = new FileInfo(path).Directory; directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".git"))
                || File.Exists(Path.Combine(directory.FullName, ".git"))
                || directory.EnumerateFiles("*.sln").Any()
                || directory.EnumerateFiles("*.slnx").Any())
            {
                return directory.FullName;
            }
        }
        return Path.GetDirectoryName(path)!;
    }
}
