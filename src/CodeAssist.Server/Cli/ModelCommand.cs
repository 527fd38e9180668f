using System.CommandLine;
using System.Globalization;
using CodeAssist.Models;

namespace CodeAssist.Server.Cli;

/// <summary><c>codeassist model info PATH</c>, <c>codeassist model pull NAME</c> and <c>codeassist model random PATH</c>.</summary>
internal static class ModelCommand
{
    public static Command Create() => new("model", "Inspect, fetch and write GGUF code models") { CreateInfo(), CreatePull(), CreateRandom() };

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

    private static Command CreateRandom()
    {
        var path = new Argument<FileInfo>("PATH") { Description = "Where to write the GGUF file" };
        var shape = new Option<string>("--shape")
        {
            Description = "Size: " + string.Join(", ", RandomModelShape.All.Select(s => $"{s.Name} ({s.Layers} layers, {s.EmbeddingLength} wide)")),
            DefaultValueFactory = _ => RandomModelShape.Tiny.Name,
        };
        var vocabulary = new Option<string>("--vocab")
        {
            Description = "Tokenizer copied from llama.cpp's vocabulary files (starcoder and refact have FIM tokens, deepseek-coder its own)",
            DefaultValueFactory = _ => "starcoder",
        };
        var force = new Option<bool>("--force") { Description = "Write the file even when it exists (the same shape and vocabulary always give the same file)" };
        var command = new Command("random", "Write a model with random weights and a real tokenizer: it generates noise, for tests and demos where no trained model is at hand")
        {
            path, shape, vocabulary, force,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var target = parseResult.GetValue(path)!.FullName;
            if (RandomModelShape.Find(parseResult.GetValue(shape)!) is not { } chosen)
            {
                await error.WriteLineAsync($"codeassist model random: unknown shape '{parseResult.GetValue(shape)}'; choose one of {string.Join(", ", RandomModelShape.All.Select(s => s.Name))}");
                return 2;
            }
            if (!File.Exists(target) || parseResult.GetValue(force))
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await Task.Run(() => RandomModel.Write(target, chosen, RandomModel.VocabularyPath(parseResult.GetValue(vocabulary)!)), cancellationToken);
                }
                catch (Exception exception) when (exception is ModelException or IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"codeassist model random: {exception.Message}");
                    return 1;
                }
            }
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(target);
            return 0;
        });
        return command;
    }
}
