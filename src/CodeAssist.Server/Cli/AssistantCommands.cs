using System.CommandLine;
using System.Globalization;
using CodeAssist.Context;
using CodeAssist.Features;
using CodeAssist.Features.Actions;
using CodeAssist.Features.Chat;
using CodeAssist.Features.Generation;
using CodeAssist.Features.Prompts;
using CodeAssist.Models;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist ask|explain|doc|tests|translate</c>: the server's chat and code actions on the command line, with the same
/// retrieval, prompts and checks. The model's text streams to stdout as it is generated; what else there is to say
/// (references, compile results) goes to stderr, so stdout can be piped. Lines are 1-based here, as editors print them.
/// </summary>
internal static class AssistantCommands
{
    private sealed record Common(
        Option<FileInfo?> Model, Option<Uri?> Remote, Option<DirectoryInfo?> Workspace, Option<int?> Threads, Option<int?> ContextSize, Option<int?> MaxTokens,
        Option<float?> Temperature);

    private static Common Options() => new(
        new Option<FileInfo?>("--model", "-m") { Description = "A GGUF model to run in process (default: the settings' model, or CODEASSIST_MODEL)" },
        new Option<Uri?>("--remote") { Description = "An OpenAI-compatible server instead (its /v1/chat/completions), e.g. http://127.0.0.1:8080/" },
        new Option<DirectoryInfo?>("--workspace", "-w") { Description = "The workspace folder (default: the nearest folder above the file, or the current one, with .git or a solution)" },
        new Option<int?>("--threads") { Description = "CPU threads for the local model (default: physical cores)" },
        new Option<int?>("--context") { Description = "The local model's window in tokens (default: the settings', else the model's trained length)" },
        new Option<int?>("--max-tokens") { Description = "The most tokens the answer may take (default 1024)" },
        new Option<float?>("--temperature") { Description = "Sampling temperature of the answer (default 0.2; 0 = greedy)" });

    private static Command With(Command command, Common common)
    {
        command.Options.Add(common.Model);
        command.Options.Add(common.Remote);
        command.Options.Add(common.Workspace);
        command.Options.Add(common.Threads);
        command.Options.Add(common.ContextSize);
        command.Options.Add(common.MaxTokens);
        command.Options.Add(common.Temperature);
        return command;
    }

    public static IEnumerable<Command> Create() => [CreateAsk(), CreateExplain(), CreateDoc(), CreateTests(), CreateTranslate()];

    private static Option<string?> LinesOption() => new("--lines", "-l") { Description = "The selection: lines A-B (1-based, inclusive), or one line A" };

    private static Command CreateAsk()
    {
        var common = Options();
        var question = new Argument<string>("QUESTION") { Description = "The question about the repository" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "A file the question is about (with --lines, a selection of it)" };
        var lines = LinesOption();
        var budget = new Option<int?>("--budget") { Description = "A cap on the repository context in tokens (default: what the window leaves)" };
        var command = With(new Command("ask", "Ask a question about the repository; the answer streams to stdout, its references to stderr") { question, file, lines, budget }, common);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, common, parseResult.GetValue(file), parseResult.GetValue(lines), async (bench, selection, output, error) =>
        {
            var input = new ChatInput([new ChatMessage("user", parseResult.GetValue(question)!)], selection, parseResult.GetValue(budget));
            var answer = await RepositoryChat.AnswerAsync(bench, input, Write(output), cancellationToken);
            await output.WriteLineAsync();
            await WriteReferencesAsync(error, answer.References);
        }, cancellationToken));
        return command;
    }

    private static Command CreateExplain()
    {
        var common = Options();
        var file = new Argument<FileInfo>("FILE") { Description = "The file to explain" };
        var lines = LinesOption();
        var command = With(new Command("explain", "Explain a file or some of its lines; the explanation streams to stdout, its references to stderr") { file, lines }, common);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, common, parseResult.GetValue(file), parseResult.GetValue(lines), async (bench, selection, output, error) =>
        {
            var answer = await CodeExplanation.ExplainAsync(bench, selection!, Write(output), cancellationToken);
            await output.WriteLineAsync();
            await WriteReferencesAsync(error, answer.References);
        }, cancellationToken));
        return command;
    }

    private static Command CreateDoc()
    {
        var common = Options();
        var file = new Argument<FileInfo>("FILE") { Description = "The file whose declarations to document" };
        var lines = LinesOption();
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing documentation comments too" };
        var write = new Option<bool>("--write") { Description = "Insert the comments into FILE (default: only print them)" };
        var command = With(new Command("doc", "Write documentation comments for the declarations in FILE (or in --lines); prints them, or inserts them with --write") { file, lines, overwrite, write }, common);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, common, parseResult.GetValue(file), parseResult.GetValue(lines), async (bench, selection, output, error) =>
        {
            var result = await DocComments.WriteAsync(bench, selection!, parseResult.GetValue(overwrite), null, cancellationToken);
            var index = new LineIndex(selection!.DocumentText);
            foreach (var edit in result.Edits)
            {
                await output.WriteLineAsync($"── {Path.GetFileName(selection.Path)}:{index.ToPosition(edit.Start).Line + 1}");
                await output.WriteAsync(edit.NewText);
            }
            foreach (var skipped in result.Skipped) await error.WriteLineAsync($"skipped {skipped}");
            if (parseResult.GetValue(write) && result.Edits.Count > 0)
            {
                await File.WriteAllTextAsync(selection.Path, DocComments.Apply(selection.DocumentText, result.Edits), cancellationToken);
                await error.WriteLineAsync($"documented {string.Join(", ", result.Documented)} in {selection.Path}");
            }
        }, cancellationToken));
        return command;
    }

    private static Command CreateTests()
    {
        var common = Options();
        var file = new Argument<FileInfo>("FILE") { Description = "The C# file to test" };
        var lines = LinesOption();
        var write = new Option<bool>("--write") { Description = "Create the test file in the test project (default: only print it)" };
        var command = With(new Command("tests", "Generate unit tests in the solution's framework, compiled against it and repaired up to 3 times; the model's text streams to stdout") { file, lines, write }, common);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, common, parseResult.GetValue(file), parseResult.GetValue(lines), async (bench, selection, output, error) =>
        {
            var tests = await TestGeneration.GenerateAsync(bench, selection!, WriteRounds(output, error), cancellationToken);
            await output.WriteLineAsync();
            await WriteCompileResultAsync(error, tests.Compiles, tests.Rounds, tests.Diagnostics);
            await error.WriteLineAsync($"{tests.Framework} tests for {tests.Path}");
            if (parseResult.GetValue(write))
            {
                await using var created = new FileStream(tests.Path, FileMode.CreateNew, FileAccess.Write);
                await using var writer = new StreamWriter(created);
                await writer.WriteAsync(tests.Text);
                await error.WriteLineAsync($"wrote {tests.Path}");
            }
        }, cancellationToken));
        return command;
    }

    private static Command CreateTranslate()
    {
        var common = Options();
        var file = new Argument<FileInfo>("FILE") { Description = "The file to translate" };
        var lines = LinesOption();
        var to = new Option<string>("--to", "-t") { Description = $"The language to translate into: {CodeLanguage.Known}", Required = true };
        var outputFile = new Option<FileInfo?>("--output", "-o") { Description = "Write the translation (code only) to this file" };
        var command = With(new Command("translate", "Translate a file or some of its lines into another language; into C#, compiled and repaired. The model's text streams to stdout") { file, lines, to, outputFile }, common);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, common, parseResult.GetValue(file), parseResult.GetValue(lines), async (bench, selection, output, error) =>
        {
            var result = await Translation.TranslateAsync(bench, selection!, parseResult.GetValue(to)!, WriteRounds(output, error), cancellationToken);
            await output.WriteLineAsync();
            if (result.Compiles is { } compiles) await WriteCompileResultAsync(error, compiles, result.Rounds, result.Diagnostics);
            if (parseResult.GetValue(outputFile) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, result.Text, cancellationToken);
                await error.WriteLineAsync($"wrote {target.FullName}");
            }
        }, cancellationToken));
        return command;
    }

    private static Func<string, CancellationToken, Task> Write(TextWriter output) => async (text, _) =>
    {
        await output.WriteAsync(text);
        await output.FlushAsync();
    };

    private static Func<string, int, CancellationToken, Task> WriteRounds(TextWriter output, TextWriter error)
    {
        int shown = 1;
        return async (text, round, cancellationToken) =>
        {
            if (round != shown)
            {
                shown = round;
                await output.WriteLineAsync();
                await error.WriteLineAsync($"── it did not compile: repair round {round - 1}");
            }
            await Write(output)(text, cancellationToken);
        };
    }

    private static async Task WriteReferencesAsync(TextWriter error, IReadOnlyList<Reference> references)
    {
        await error.WriteLineAsync($"{references.Count} references:");
        foreach (var reference in references)
            await error.WriteLineAsync($"  {reference.Path}:{reference.Range.StartLine + 1}-{reference.Range.EndLine + 1}  {reference.Reason}");
    }

    private static async Task WriteCompileResultAsync(TextWriter error, bool compiles, int rounds, IReadOnlyList<CodeDiagnostic> diagnostics)
    {
        await error.WriteLineAsync(compiles ? $"compiles (round {rounds})" : $"does not compile after {rounds} rounds:");
        foreach (var diagnostic in diagnostics)
            await error.WriteLineAsync($"  line {diagnostic.Span.StartLine + 1}: {diagnostic.Id} {diagnostic.Message}");
    }

    /// <summary>Opens the model and indexes the workspace, then runs <paramref name="run"/> on the selection (null for ask without --file).</summary>
    private static async Task<int> RunAsync(ParseResult parseResult, Common common, FileInfo? file, string? lines,
        Func<Workbench, CodeSelection?, TextWriter, TextWriter, Task> run, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        string name = "codeassist " + parseResult.CommandResult.Command.Name;
        if (file is not null && !file.Exists)
        {
            await error.WriteLineAsync($"{name}: {file.FullName} does not exist");
            return 2;
        }
        var settings = ServerSettings.UserDefaults(message => error.WriteLine($"{name}: {message}"));
        if (parseResult.GetValue(common.Remote) is { } remote)
            settings = settings with { Remote = new RemoteSettings(remote, RemoteApi.OpenAi, null, null, null, parseResult.GetValue(common.ContextSize) ?? RemoteSettings.DefaultContextSize) };
        else if (parseResult.GetValue(common.Model) is { } model)
            settings = settings with { Model = model.FullName, Remote = null };
        settings = settings with
        {
            ModelOptions = settings.ModelOptions with
            {
                Threads = parseResult.GetValue(common.Threads) ?? settings.ModelOptions.Threads,
                ContextSize = parseResult.GetValue(common.ContextSize) ?? settings.ModelOptions.ContextSize,
            },
            Actions = settings.Actions with
            {
                MaxTokens = parseResult.GetValue(common.MaxTokens) ?? settings.Actions.MaxTokens,
                Temperature = parseResult.GetValue(common.Temperature) ?? settings.Actions.Temperature,
            },
        };
        ICodeModel? opened;
        try
        {
            opened = ModelHost.Open(settings, cancellationToken);
        }
        catch (ModelException exception)
        {
            await error.WriteLineAsync($"{name}: {exception.Message}");
            return 1;
        }
        if (opened is null)
        {
            await error.WriteLineAsync($"{name}: no model: pass --model PATH or --remote URL, or set 'model' in {ServerSettings.UserSettingsFile} or CODEASSIST_MODEL");
            return 2;
        }
        await using var codeModel = opened;
        string folder = parseResult.GetValue(common.Workspace)?.FullName ?? ContextCommand.WorkspaceRoot(file?.FullName ?? Path.Combine(Environment.CurrentDirectory, "."));
        using var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [folder], ExcludeGlobs = settings.Exclude, CacheDirectory = settings.IndexCache });
        if (codeModel is LlamaCodeModel local) engine.CountTokens = text => local.Model.Tokenize(text).Length;
        await engine.IndexAsync(null, cancellationToken);
        var bench = new Workbench(engine, codeModel, PromptLibrary.Load([folder], settings.Prompts, message => error.WriteLine($"{name}: {message}")))
        {
            MaxAnswerTokens = settings.Actions.MaxTokens,
            Temperature = settings.Actions.Temperature,
            WorkspaceFolders = [folder],
            PromptObserver = PromptLog.FromEnvironment() is { } log ? log.Write : null,
        };
        try
        {
            var selection = file is null ? null : Select(engine, file.FullName, lines);
            await run(bench, selection, output, error);
            return 0;
        }
        catch (Exception exception) when (exception is FeatureException or ContextException or PromptException or FormatException)
        {
            await error.WriteLineAsync($"{name}: {exception.Message}");
            return 1;
        }
    }

    /// <summary>The lines A-B of a file (the whole file without <paramref name="lines"/>), as the engine reads it.</summary>
    private static CodeSelection Select(ContextEngine engine, string path, string? lines)
    {
        var text = engine.DocumentText(path);
        var index = new LineIndex(text);
        var language = CodeLanguage.Of(path);
        if (lines is null) return new CodeSelection(path, text, 0, text.Length, language);
        var parts = lines.Split('-', 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first) || first < 1
            || !int.TryParse(parts.Length > 1 ? parts[1] : parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int last) || last < first)
            throw new FormatException($"--lines takes A-B with 1 ≤ A ≤ B (got '{lines}')");
        return new CodeSelection(path, text, index.ToOffset(text, new Position(first - 1, 0)), index.ToOffset(text, new Position(last, 0)), language);
    }
}
