using System.CommandLine;
using System.Globalization;
using CodeAssist.Models;

namespace CodeAssist.Server.Cli;

/// <summary><c>codeassist model info PATH</c> and <c>codeassist model pull NAME</c>.</summary>
internal static class ModelCommand
{
    public static Command Create() => new("model", "Inspect and fetch GGUF code models") { CreateInfo(), CreatePull() };

    private static Command CreateInfo()
    {
        var path = new Argument<FileInfo>("PATH") { Description = "A GGUF model file" };
        var command = new Command("info", "Show a GGUF model's architecture, size, context length, FIM tokens, chat template and the backend it would run on") { path };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            ModelInfo info;
            try
            {
                info = ModelInspector.Inspect(parseResult.GetValue(path)!.FullName);
            }
            catch (ModelException exception)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"codeassist model info: {exception.Message}");
                return 1;
            }
            await output.WriteLineAsync($"path:           {info.Path}");
            await output.WriteLineAsync($"name:           {info.Name ?? "(none)"}");
            await output.WriteLineAsync($"architecture:   {info.Architecture ?? "(none)"}");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"parameters:     {info.ParameterCount:N0}"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"file size:      {info.FileSizeBytes / (1024.0 * 1024):0.0} MiB"));
            await output.WriteLineAsync($"context length: {info.ContextLength?.ToString(CultureInfo.InvariantCulture) ?? "(not stated)"}");
            await output.WriteLineAsync($"FIM format:     {info.FimFamily ?? "(none detected)"}");
            await output.WriteLineAsync($"FIM tokens:     {(info.FimTokens.Count == 0 ? "(none)" : string.Join(", ", info.FimTokens.Select(t => $"{t.Key} {t.Value}")))}");
            await output.WriteLineAsync($"chat template:  {(info.ChatTemplate is { } template ? $"{template.Length} characters" : "(none)")}");
            await output.WriteLineAsync($"backend:        {info.Backend}");
            return 0;
        });
        return command;
    }

    private static Command CreatePull()
    {
        var name = new Argument<string>("NAME") { Description = "A model name: " + string.Join(", ", ModelCatalog.DefaultEntries.Select(e => e.Name)) };
        var directory = new Option<DirectoryInfo?>("--dir") { Description = "Where to put it (default: ~/.cache/codeassist/models)" };
        var command = new Command("pull", "Download a known GGUF code model (needs internet; offline, says what to fetch by hand)") { name, directory };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var catalog = new ModelCatalog(parseResult.GetValue(directory)?.FullName);
            var lastShown = -1;
            var progress = new Progress<DownloadProgress>(p =>
            {
                var percent = (int)((p.Fraction ?? 0) * 100);
                if (percent != lastShown)
                {
                    lastShown = percent;
                    var bar = new string('#', percent / 4).PadRight(25, '.');
                    error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{bar}] {percent,3}%  {p.BytesReceived / (1024 * 1024)} MiB"));
                }
            });
            try
            {
                var path = await catalog.PullAsync(parseResult.GetValue(name)!, progress, cancellationToken);
                await error.WriteLineAsync();
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(path);
                return 0;
            }
            catch (ModelException exception)
            {
                await error.WriteLineAsync($"\ncodeassist model pull: {exception.Message}");
                return 1;
            }
        });
        return command;
    }
}
