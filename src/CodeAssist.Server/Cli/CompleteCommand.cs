using System.CommandLine;
using System.Text.Json;
using CodeAssist.Context;
using CodeAssist.Features.Completion;
using CodeAssist.Models;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist complete FILE --line L --column C</c>: the inline-completion pipeline on the command line, from the same
/// settings as the server (the user's settings file and <c>CODEASSIST_MODEL</c>, overridden by <c>--model</c> or
/// <c>--remote</c>), printing every candidate an invoked request gets, with the compiler's diagnostics for C#.
/// </summary>
internal static class CompleteCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The document the cursor is in" };
        var line = new Option<int>("--line", "-l") { Description = "The cursor's line, 1-based", Required = true };
        var column = new Option<int>("--column", "-c") { Description = "The cursor's column in UTF-16 code units, 1-based", Required = true };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "A GGUF code model (default: the settings' model or CODEASSIST_MODEL)" };
        var remote = new Option<Uri?>("--remote") { Description = "A model server's URL instead of a local model" };
        var api = new Option<string>("--api") { Description = "The remote server's API: openai or llamaServer", DefaultValueFactory = _ => "openai" };
        var workspace = new Option<DirectoryInfo?>("--workspace", "-w") { Description = "The workspace folder (default: the nearest folder above FILE with .git or a solution)" };
        var json = new Option<bool>("--json") { Description = "Print the candidates as JSON" };
        var command = new Command("complete", "Print the inline completions CodeAssist suggests at a cursor position") { file, line, column, model, remote, api, workspace, json };
        command.Validators.Add(result =>
        {
            if (result.GetValue(line) < 1 || result.GetValue(column) < 1)
            {
                result.AddError("--line and --column are 1-based: both must be at least 1");
            }
            if (result.GetValue(model) is not null && result.GetValue(remote) is not null)
            {
                result.AddError("--model and --remote exclude each other");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"codeassist complete: {path} does not exist");
                return 2;
            }
            var settings = ServerSettings.UserDefaults(message => error.WriteLine($"codeassist complete: {message}"));
            if (parseResult.GetValue(model) is { } modelFile)
            {
                settings = settings with { Model = modelFile.FullName, Remote = null };
            }
            if (parseResult.GetValue(remote) is { } url)
            {
                var element = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["url"] = url.ToString(), ["api"] = parseResult.GetValue(api)! });
                settings = settings with { Remote = RemoteSettings.Parse(element, message => error.WriteLine($"codeassist complete: {message}")) };
            }

            ICodeModel? codeModel;
            try
            {
                codeModel = ModelHost.Open(settings, cancellationToken);
            }
            catch (ModelException exception)
            {
                await error.WriteLineAsync($"codeassist complete: {exception.Message}");
                return 1;
            }
            if (codeModel is null)
            {
                await error.WriteLineAsync($"codeassist complete: {ModelState.None.Unavailable} Or pass --model PATH or --remote URL.");
                return 1;
            }
            await using (codeModel)
            {
                var folder = parseResult.GetValue(workspace)?.FullName ?? ContextCommand.WorkspaceRoot(path);
                using var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [folder], ExcludeGlobs = settings.Exclude, CacheDirectory = settings.IndexCache });
                if (codeModel is LlamaCodeModel local)
                {
                    engine.CountTokens = text => local.Model.Tokenize(text).Length;
                }
                await engine.IndexAsync(null, cancellationToken);

                var text = await File.ReadAllTextAsync(path, cancellationToken);
                var lines = new LineIndex(text);
                var offset = lines.ToOffset(text, new Position(parseResult.GetValue(line) - 1, parseResult.GetValue(column) - 1));
                var position = lines.ToPosition(offset);
                var query = new CompletionQuery
                {
                    DocumentKey = DocumentUri.FromPath(path),
                    Path = path,
                    Text = text,
                    Offset = offset,
                    Line = position.Line,
                    Character = position.Character,
                    LanguageId = LanguageId(path),
                    Invoked = true,
                    WorkspaceFolder = folder,
                };
                var service = new CompletionService(message => error.WriteLine(message));
                var answer = await service.CompleteAsync(query, settings.Completion.ToOptions(), codeModel, engine, cancellationToken);
                if (parseResult.GetValue(json))
                {
                    await output.WriteLineAsync(ToJson(answer, lines));
                    return 0;
                }
                if (answer.Suggestions.Count == 0)
                {
                    await output.WriteLineAsync($"no suggestion at {position.Line + 1}:{position.Character + 1} ({answer.Kind})");
                }
                foreach (var suggestion in answer.Suggestions)
                {
                    var start = lines.ToPosition(suggestion.Start);
                    var end = lines.ToPosition(suggestion.End);
                    await output.WriteLineAsync($"── {suggestion.Id}  replaces {start.Line + 1}:{start.Character + 1}–{end.Line + 1}:{end.Character + 1}  ({suggestion.Diagnostics.Count} diagnostics)");
                    await output.WriteLineAsync(suggestion.InsertText);
                    await WriteDiagnosticsAsync(output, suggestion.Diagnostics);
                }
                foreach (var held in answer.HeldBack)
                {
                    string why = held.Unparsable ? "not code: the parser's errors inside it" : "names something that does not exist";
                    await output.WriteLineAsync($"── held back by the compiler check, {why} ({held.Diagnostics.Count} diagnostics)");
                    await output.WriteLineAsync(held.Text);
                    await WriteDiagnosticsAsync(output, held.Diagnostics);
                }
                var counts = service.Counts;
                await output.WriteLineAsync($"{answer.Suggestions.Count} suggestions from {codeModel.Description.Name}; {counts.GenerationsFinished} generations, {counts.ReusedPromptTokens}/{counts.PromptTokens} prompt tokens from the KV cache");
                return 0;
            }
        });
        return command;
    }

    private static async Task WriteDiagnosticsAsync(TextWriter output, IReadOnlyList<CodeDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            await output.WriteLineAsync($"   {(diagnostic.IsError ? "error" : "warning")} {diagnostic.Id} at {diagnostic.Span.StartLine + 1}:{diagnostic.Span.StartCharacter + 1}: {diagnostic.Message}");
        }
    }

    /// <summary>The LSP language id editors give a file with this extension, as far as completion cares.</summary>
    private static string LanguageId(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".cs" => "csharp",
        ".py" => "python",
        ".js" or ".mjs" => "javascript",
        ".ts" => "typescript",
        ".md" => "markdown",
        var other => other.TrimStart('.'),
    };

    private static string ToJson(CompletionAnswer answer, LineIndex lines)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            void WritePosition(string name, Position position)
            {
                writer.WriteStartObject(name);
                writer.WriteNumber("line", position.Line);
                writer.WriteNumber("character", position.Character);
                writer.WriteEndObject();
            }
            void WriteDiagnostics(IReadOnlyList<CodeDiagnostic> diagnostics)
            {
                writer.WriteStartArray("diagnostics");
                foreach (var diagnostic in diagnostics)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", diagnostic.Id);
                    writer.WriteString("message", diagnostic.Message);
                    writer.WriteBoolean("isError", diagnostic.IsError);
                    writer.WriteStartObject("range");
                    WritePosition("start", new Position(diagnostic.Span.StartLine, diagnostic.Span.StartCharacter));
                    WritePosition("end", new Position(diagnostic.Span.EndLine, diagnostic.Span.EndCharacter));
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteStartObject();
            writer.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(answer.Kind.ToString()));
            writer.WriteStartArray("items");
            foreach (var suggestion in answer.Suggestions)
            {
                writer.WriteStartObject();
                writer.WriteString("completionId", suggestion.Id);
                writer.WriteString("insertText", suggestion.InsertText);
                writer.WriteStartObject("range");
                WritePosition("start", lines.ToPosition(suggestion.Start));
                WritePosition("end", lines.ToPosition(suggestion.End));
                writer.WriteEndObject();
                WriteDiagnostics(suggestion.Diagnostics);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("heldBack");
            foreach (var held in answer.HeldBack)
            {
                writer.WriteStartObject();
                writer.WriteString("insertText", held.Text);
                writer.WriteBoolean("unparsable", held.Unparsable);
                WriteDiagnostics(held.Diagnostics);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
