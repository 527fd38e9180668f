using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodeAssist.Bench;
using CodeAssist.Models;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Cli;

/// <summary><c>codeassist bench …</c>: the benchmarks behind the figures in docs/.</summary>
internal static partial class BenchCommand
{
    public static Command Create() => new("bench", "Measure CodeAssist: context retrieval, indexing, model speed, inline completion, commit messages, chat and actions")
    {
        CreateContext(), CreateTasks(), CreateIndex(), CreateModel(), CreateCompletion(), BenchCommitCommand.Create(), ActionsBench.Create(),
    };

    private static Command CreateTasks()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The repository, as unpacked in the corpus folder" };
        var name = new Option<string?>("--name") { Description = "The repository's name in the tasks (default: the folder's name)" };
        var seed = new Option<int>("--seed") { Description = "The seed that draws the cursors", DefaultValueFactory = _ => 13 };
        var perKind = new Option<int>("--per-kind") { Description = "Tasks of each kind (member, line)", DefaultValueFactory = _ => 60 };
        var command = new Command("tasks", "Make context-benchmark tasks for a repository as shared/bench/README.md describes them; prints JSON Lines")
        {
            folder, name, seed, perKind,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = parseResult.GetValue(folder)!;
            if (!root.Exists)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"codeassist bench tasks: {root.FullName} does not exist");
                return 2;
            }
            var tasks = await Task.Run(() => TaskGenerator.Generate(root.FullName, parseResult.GetValue(name) ?? root.Name,
                parseResult.GetValue(perKind), parseResult.GetValue(seed), cancellationToken), cancellationToken);
            foreach (var task in tasks)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(task);
            }
            return 0;
        });
        return command;
    }

    private static Command CreateIndex()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The folder to index, as a workspace folder" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("index", "Indexing at scale through a real server process, from an empty index cache and again from the cache it wrote: lines per second, time to the first answered request, requests answered while indexing, peak memory")
        {
            folder, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = parseResult.GetValue(folder)!.FullName;
            var probe = Directory.Exists(root) ? Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).FirstOrDefault() : null;
            if (probe is null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"codeassist bench index: no .cs file under {root}");
                return 2;
            }
            var cache = Directory.CreateTempSubdirectory("codeassist-bench-index-");
            try
            {
                var cold = await MeasureIndexingAsync(root, probe, cache.FullName, parseResult.InvocationConfiguration.Error, cancellationToken);
                var warm = await MeasureIndexingAsync(root, probe, cache.FullName, parseResult.InvocationConfiguration.Error, cancellationToken);
                var output = parseResult.InvocationConfiguration.Output;
                if (parseResult.GetValue(json))
                {
                    using var stream = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(stream))
                    {
                        writer.WriteStartObject();
                        writer.WriteString("folder", root);
                        foreach (var (name, run) in new[] { ("cold", cold), ("warm", warm) })
                        {
                            writer.WriteStartObject(name);
                            run.Write(writer);
                            writer.WriteEndObject();
                        }
                        writer.WriteEndObject();
                    }
                    await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
                    return 0;
                }
                await output.WriteLineAsync($"{root}: {cold.Files} files ({cold.Skipped} skipped), {cold.Lines} lines");
                await output.WriteLineAsync(cold.Describe("cold start (empty index cache)"));
                await output.WriteLineAsync(warm.Describe("warm start (the cache the first start wrote)"));
                return 0;
            }
            finally
            {
                cache.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>
    /// Starts a server on <paramref name="root"/> and asks for context in <paramref name="probe"/> again and again until
    /// the index is ready: every answer must come without waiting for the index.
    /// </summary>
    private static async Task<IndexingRun> MeasureIndexingAsync(string root, string probe, string cacheDirectory, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["indexCache"] = cacheDirectory });
        var probeUri = DocumentUri.FromPath(probe);
        var probeText = await File.ReadAllTextAsync(probe, cancellationToken);
        var position = new Position(probeText.Count(c => c == '\n') / 2, 0);

        var stopwatch = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(root, error, settings, cancellationToken);
        await server.OpenAsync(probeUri, probeText);
        double? firstAnswer = null;
        var whileIndexing = new List<double>();
        StatusResult status;
        while ((status = await server.StatusAsync(cancellationToken)).Index.State != "ready")
        {
            var asked = stopwatch.Elapsed.TotalMilliseconds;
            await server.ContextAsync(probeUri, position, 1024, cancellationToken);
            var answered = stopwatch.Elapsed.TotalMilliseconds;
            firstAnswer ??= answered;
            whileIndexing.Add(answered - asked);
            await Task.Delay(100, cancellationToken);
        }
        var seconds = stopwatch.Elapsed.TotalSeconds;
        // The server writes its index cache after reporting ready; the next start must find it whole.
        while (!Directory.EnumerateFiles(cacheDirectory, "*.index").Any())
        {
            await Task.Delay(100, cancellationToken);
        }
        whileIndexing.Sort();
        return new IndexingRun(status.Index.FilesIndexed, status.Index.FilesSkipped, status.Index.Lines, seconds, firstAnswer ?? 0, whileIndexing, server.PeakMemoryBytes);
    }

    private sealed record IndexingRun(int Files, int Skipped, long Lines, double Seconds, double FirstAnswerMs, IReadOnlyList<double> WhileIndexing, long PeakMemoryBytes)
    {
        private double LinesPerSecond => Seconds > 0 ? Lines / Seconds : 0;
        private double P50 => BenchReport.Percentile(WhileIndexing, 0.5);
        private double Max => WhileIndexing.Count == 0 ? 0 : WhileIndexing[^1];

        public string Describe(string name) => string.Create(CultureInfo.InvariantCulture,
            $"{name}: ready in {Seconds:0.0} s = {LinesPerSecond:0} lines/s; first codeassist/context answered {FirstAnswerMs:0} ms after start; " +
            $"{WhileIndexing.Count} answered while indexing (p50 {P50:0.0} ms, max {Max:0.0} ms); server peak memory (VmHWM) {PeakMemoryBytes / (1024 * 1024)} MB");

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteNumber("files", Files);
            writer.WriteNumber("skipped", Skipped);
            writer.WriteNumber("lines", Lines);
            writer.WriteNumber("seconds", Math.Round(Seconds, 2));
            writer.WriteNumber("linesPerSecond", Math.Round(LinesPerSecond));
            writer.WriteNumber("firstAnswerMs", Math.Round(FirstAnswerMs));
            writer.WriteNumber("answeredWhileIndexing", WhileIndexing.Count);
            writer.WriteNumber("latencyWhileIndexingP50Ms", Math.Round(P50, 1));
            writer.WriteNumber("latencyWhileIndexingMaxMs", Math.Round(Max, 1));
            writer.WriteNumber("peakMemoryMB", PeakMemoryBytes / (1024 * 1024));
        }
    }

    private static Command CreateModel()
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "The GGUF to measure", Required = true };
        var threads = new Option<int>("--threads", "-t") { Description = "CPU threads (default: physical cores)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("model", "Tokens per second of our llama.cpp binding against llama.cpp's own llama-bench on the same GGUF and threads, and prefix reuse")
        {
            model, threads, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            BenchmarkResult result;
            try
            {
                result = await LlamaBenchmark.RunAsync(parseResult.GetValue(model)!.FullName, parseResult.GetValue(threads), cancellationToken);
            }
            catch (ModelException exception)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"codeassist bench model: {exception.Message}");
                return 1;
            }
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(result.ToJson());
                return 0;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"model {result.Model}, {result.Threads} threads, {result.Backend}; each side's median round, the ratio the median of the rounds' ratios"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"prompt:     ours {result.Ours.PromptTokensPerSecond:0.0} t/s, llama-bench {result.Native?.PromptTokensPerSecond.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} t/s, ratio {result.PromptRatio?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"generation: ours {result.Ours.GenerationTokensPerSecond:0.0} t/s, llama-bench {result.Native?.GenerationTokensPerSecond.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} t/s, ratio {result.GenerationRatio?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}"));
            static string Spread(IEnumerable<double?> ratios) => ratios.OfType<double>().ToList() is { Count: > 0 } all
                ? string.Create(CultureInfo.InvariantCulture, $"{all.Min():0.00}-{all.Max():0.00}")
                : "n/a";
            await output.WriteLineAsync(
                $"ratio per round ({result.Rounds.Count}): prompt {Spread(result.Rounds.Select(r => r.PromptRatio))}, generation {Spread(result.Rounds.Select(r => r.GenerationRatio))}");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"prefix reuse: cold {result.PrefixReuse.ColdMilliseconds:0.0} ms, 99% shared {result.PrefixReuse.ReusedMilliseconds:0.0} ms, ratio {result.PrefixReuse.Ratio:0.000}"));
            return 0;
        });
        return command;
    }

    /// <summary>The budget of the first query in a newly opened file, measured apart from the repeated queries.</summary>
    private const int FirstQueryBudget = 2048;

    private static Command CreateContext()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var tasks = new Option<FileInfo?>("--tasks") { Description = "The task file (default: ../shared/bench/context-tasks.jsonl beside the repository; bench/context-tasks.jsonl holds three more repositories)" };
        var corpus = new Option<DirectoryInfo>("--corpus")
        {
            Description = "Where the corpus is, or is fetched to with get-corpus.sh",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codeassist", "corpus")),
        };
        var repos = new Option<string[]>("--repo") { Description = "Only these repositories (keepass2, newtonsoft-json, nunit; dnlib, hyena, opentk)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("context", "Recall and latency of codeassist/context on the benchmark tasks, through a real server process, per repository, beside a Jaccard-window baseline; the first query in a newly opened file and the first answer after start as their own figures")
        {
            json, tasks, corpus, repos,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var taskFile = parseResult.GetValue(tasks)?.FullName ?? DefaultTaskFile();
            if (taskFile is null || !File.Exists(taskFile))
            {
                await error.WriteLineAsync("codeassist bench context: no task file; pass --tasks PATH/context-tasks.jsonl (it ships in ../shared/bench)");
                return 2;
            }
            var selected = parseResult.GetValue(repos) ?? [];
            var all = BenchTask.Load(taskFile).Where(t => selected.Length == 0 || selected.Contains(t.Repo)).ToArray();
            var corpusDirectory = parseResult.GetValue(corpus)!.FullName;
            if (!await EnsureCorpusAsync(Path.GetDirectoryName(taskFile)!, corpusDirectory, all.Select(t => t.Repo).Distinct(), error, cancellationToken))
            {
                return 1;
            }

            var progress = new Progress<TaskResult>(r => error.Write(r.Error is null ? "." : "x"));
            var ours = new List<TaskResult>();
            var indexing = new List<IndexingFigures>();
            var keystrokes = new List<double>();
            var typing = new List<TypedCharacter>();
            foreach (var repoTasks in all.GroupBy(t => t.Repo))
            {
                var repository = repoTasks.First().RepositoryPath(corpusDirectory);
                await error.WriteLineAsync($"{repoTasks.Key}: starting the server and indexing {repository}");
                // No index cache: every run measures indexing from scratch.
                await using var server = await ServerProcess.StartAsync(repository, error, JsonSerializer.SerializeToElement(new Dictionary<string, string?> { ["indexCache"] = null }), cancellationToken);
                indexing.Add(await WaitForIndexAsync(server, repoTasks.Key, cancellationToken));
                // The tasks first: their first request is the server's first answer after start (FirstAnswers).
                var report = await BenchRunner.RunAsync(repoTasks.ToArray(), corpusDirectory, BenchRunner.DefaultBudgets, new LspAnswerer(server, corpusDirectory).AnswerAsync,
                    progress, cancellationToken, firstBudget: FirstQueryBudget);
                ours.AddRange(report.Results);
                keystrokes.AddRange(await MeasureKeystrokesAsync(server, repoTasks.Take(20), corpusDirectory, cancellationToken));
                typing.AddRange(await MeasureTypingAsync(server, repoTasks.Take(20), corpusDirectory, cancellationToken));
                await error.WriteLineAsync();
            }
            await error.WriteLineAsync("Jaccard-window baseline");
            var baseline = await BenchRunner.RunAsync(all, corpusDirectory, BenchRunner.DefaultBudgets, BenchRunner.JaccardAnswerer(corpusDirectory), null, cancellationToken);

            await Print(output, parseResult.GetValue(json), new BenchReport(ours), baseline, indexing, keystrokes, typing);
            return 0;
        });
        return command;
    }

    private sealed record IndexingFigures(string Repo, int Files, long Lines, double Seconds, long PeakMemoryBytes)
    {
        public double LinesPerSecond => Seconds > 0 ? Lines / Seconds : 0;
    }

    /// <summary>Answers bench tasks through <c>codeassist/context</c>, opening each task's truncated document once.</summary>
    private sealed class LspAnswerer(ServerProcess server, string corpusDirectory)
    {
        private string? _openUri;
        private string? _openTask;

        public async Task<ContextAnswer> AnswerAsync(BenchTask task, string documentText, int budgetTokens, CancellationToken cancellationToken)
        {
            var uri = DocumentUri.FromPath(task.DocumentPath(corpusDirectory));
            if (_openTask != task.Id || budgetTokens == 0)
            {
                if (_openUri is not null)
                {
                    await server.CloseAsync(_openUri);
                }
                await server.OpenAsync(uri, documentText);
                (_openUri, _openTask) = (uri, task.Id);
            }
            var response = await server.ContextAsync(uri, new Position(task.Line, task.Character), budgetTokens, cancellationToken);
            return new ContextAnswer(
                response.Items.Select(i => new AnswerItem(i.Uri, new AnswerRange(i.Range.Start.Line, i.Range.Start.Character, i.Range.End.Line, i.Range.End.Character), i.Kind, i.Text)).ToArray(),
                response.Tokens);
        }
    }

    /// <summary>Indexing figures as the client sees them: from the handshake until the server reports the index ready.</summary>
    private static async Task<IndexingFigures> WaitForIndexAsync(ServerProcess server, string repo, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var status = await server.StatusAsync(cancellationToken);
            if (status.Index.State == "ready")
            {
                return new IndexingFigures(repo, status.Index.FilesIndexed, status.Index.Lines, stopwatch.Elapsed.TotalSeconds, server.PeakMemoryBytes);
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// One typed character: a <c>didChange</c> inserting it at the cursor, then a <c>codeassist/context</c> with
    /// budget 0, which applies the pending edit to the index and retrieves nothing: the update's cost, end to end.
    /// </summary>
    private static async Task<List<double>> MeasureKeystrokesAsync(ServerProcess server, IEnumerable<BenchTask> tasks, string corpusDirectory, CancellationToken cancellationToken)
    {
        var timings = new List<double>();
        foreach (var task in tasks)
        {
            timings.AddRange(await TypeAsync(server, task, TaskDocument.Create(task, corpusDirectory), "xxxxx", 0, corpusDirectory, cancellationToken));
        }
        return timings;
    }

    /// <summary>One character typed, then a full-budget context query: how long both took, where, and whether in a body.</summary>
    private sealed record TypedCharacter(string Repo, bool InBody, double Milliseconds);

    // Characters typed per task: a declaration or a statement of most lines.
    private const int TypedPerTask = 40;

    /// <summary>
    /// What a completion waits for while the user types: the rest of each task's line typed again one character at a
    /// time, each a <c>didChange</c> and then a <c>codeassist/context</c> at <see cref="FirstQueryBudget"/>. Lines inside
    /// member bodies and lines among a type's declarations (fields, signatures, attributes) apart: the compilation holds
    /// their edits differently.
    /// </summary>
    private static async Task<List<TypedCharacter>> MeasureTypingAsync(ServerProcess server, IEnumerable<BenchTask> tasks, string corpusDirectory, CancellationToken cancellationToken)
    {
        var timings = new List<TypedCharacter>();
        foreach (var task in tasks)
        {
            string document = TaskDocument.Create(task, corpusDirectory);
            string hidden = TaskDocument.HiddenText(task, corpusDirectory);
            bool inBody = IsInBody(document, task);
            var typed = await TypeAsync(server, task, document, hidden[..Math.Min(hidden.Length, TypedPerTask)], FirstQueryBudget, corpusDirectory, cancellationToken);
            timings.AddRange(typed.Select(milliseconds => new TypedCharacter(task.Repo, inBody, milliseconds)));
        }
        return timings;
    }

    /// <summary>
    /// Opens <paramref name="document"/> as the task's file, asks once at the cursor, then types <paramref name="characters"/>
    /// there one at a time, each a <c>didChange</c> and a <c>codeassist/context</c> at <paramref name="budget"/> just after
    /// it, and closes it: how long each character took.
    /// </summary>
    private static async Task<List<double>> TypeAsync(ServerProcess server, BenchTask task, string document, string characters, int budget,
        string corpusDirectory, CancellationToken cancellationToken)
    {
        var uri = DocumentUri.FromPath(task.DocumentPath(corpusDirectory));
        var timings = new List<double>();
        await server.OpenAsync(uri, document);
        await server.ContextAsync(uri, new Position(task.Line, task.Character), budget, cancellationToken);
        for (var typed = 0; typed < characters.Length; typed++)
        {
            var at = new Position(task.Line, task.Character + typed);
            var stopwatch = Stopwatch.StartNew();
            await server.NotifyAsync("textDocument/didChange",
                new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, typed + 2), [new TextDocumentContentChangeEvent(characters[typed].ToString(), new Range(at, at))]),
                ProtocolJson.Default.DidChangeTextDocumentParams);
            await server.ContextAsync(uri, new Position(task.Line, task.Character + typed + 1), budget, cancellationToken);
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        await server.CloseAsync(uri);
        return timings;
    }

    /// <summary>Whether the task's cursor is inside a block or an expression body: a member's, an accessor's, a lambda's.</summary>
    private static bool IsInBody(string document, BenchTask task)
    {
        var root = CSharpSyntaxTree.ParseText(document).GetRoot();
        var (start, _, _) = TaskDocument.SplitLines(document)[task.Line];
        return root.FindToken(start + task.Character).Parent?.AncestorsAndSelf().Any(n => n is BlockSyntax or ArrowExpressionClauseSyntax) == true;
    }

    private static async Task<bool> EnsureCorpusAsync(string benchDirectory, string corpusDirectory, IEnumerable<string> repos, TextWriter error, CancellationToken cancellationToken)
    {
        if (repos.All(r => Directory.Exists(Path.Combine(corpusDirectory, r))))
        {
            return true;
        }
        var script = Path.Combine(benchDirectory, "get-corpus.sh");
        if (!File.Exists(script))
        {
            await error.WriteLineAsync($"codeassist bench context: the corpus is not in {corpusDirectory} and {script} is missing to fetch it");
            return false;
        }
        await error.WriteLineAsync($"Fetching the corpus with {script} {corpusDirectory}");
        using var fetch = Process.Start(new ProcessStartInfo("bash", [script, corpusDirectory]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        // The script's progress goes to our stderr, as ours does: stdout is the report's.
        await fetch.StandardOutput.BaseStream.CopyToAsync(Console.OpenStandardError(), cancellationToken);
        await fetch.WaitForExitAsync(cancellationToken);
        if (fetch.ExitCode != 0)
        {
            await error.WriteLineAsync($"codeassist bench context: {script} failed with exit code {fetch.ExitCode} (it needs apt-get and the Debian mirrors)");
            return false;
        }
        return true;
    }

    /// <summary>The public tasks, in <c>../shared/bench</c> beside the repository this build came from or the current one.</summary>
    private static string? DefaultTaskFile()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "..", "shared", "bench", "context-tasks.jsonl");
                if (File.Exists(Path.Combine(directory.FullName, "CodeAssist.sln")) && File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    private static async Task Print(TextWriter output, bool json, BenchReport ours, BenchReport baseline, List<IndexingFigures> indexing, List<double> keystrokes,
        List<TypedCharacter> typing)
    {
        keystrokes.Sort();
        var p50 = BenchReport.Percentile(keystrokes, 0.5);
        var p99 = BenchReport.Percentile(keystrokes, 0.99);
        // By repository and where typed (in bodies first), then all repositories.
        var repos = typing.Select(t => t.Repo).Distinct().Order(StringComparer.Ordinal).ToList();
        if (repos.Count > 1) repos.Add(BenchReport.AllRepos);
        var typed = repos
            .SelectMany(repo => new[] { true, false }.Select(inBody => (Repo: repo, InBody: inBody, Sorted: typing
                .Where(t => t.InBody == inBody && (repo == BenchReport.AllRepos || t.Repo == repo)).Select(t => t.Milliseconds).Order().ToList())))
            .ToList();
        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("ours");
                writer.WriteRawValue(ours.ToJson());
                writer.WritePropertyName("jaccard");
                writer.WriteRawValue(baseline.ToJson());
                writer.WriteStartArray("indexing");
                foreach (var i in indexing)
                {
                    writer.WriteStartObject();
                    writer.WriteString("repo", i.Repo);
                    writer.WriteNumber("files", i.Files);
                    writer.WriteNumber("lines", i.Lines);
                    writer.WriteNumber("seconds", Math.Round(i.Seconds, 2));
                    writer.WriteNumber("linesPerSecond", Math.Round(i.LinesPerSecond));
                    writer.WriteNumber("peakMemoryMB", i.PeakMemoryBytes / (1024 * 1024));
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteStartObject("keystrokeMs");
                writer.WriteNumber("p50", Math.Round(p50, 3));
                writer.WriteNumber("p99", Math.Round(p99, 3));
                writer.WriteNumber("samples", keystrokes.Count);
                writer.WriteEndObject();
                writer.WriteStartArray("typedContextMs");
                foreach (var (repo, inBody, sorted) in typed)
                {
                    writer.WriteStartObject();
                    writer.WriteString("repo", repo);
                    writer.WriteString("where", inBody ? "bodies" : "declarations");
                    writer.WriteNumber("p50", Math.Round(BenchReport.Percentile(sorted, 0.5), 3));
                    writer.WriteNumber("p99", Math.Round(BenchReport.Percentile(sorted, 0.99), 3));
                    writer.WriteNumber("samples", sorted.Count);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return;
        }
        await output.WriteLineAsync("codeassist/context through `codeassist serve --stdio` (budget rows: repeated queries on the same text):");
        await output.WriteLineAsync(ours.ToText());
        foreach (var (repo, latency) in ours.FirstAnswers)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"first answer after start, {repo}: {latency:0.0} ms (the server's first codeassist/context, once indexed)"));
        }
        await output.WriteLineAsync("Jaccard-window baseline, same tasks:");
        await output.WriteLineAsync(baseline.ToText());
        foreach (var i in indexing)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"indexing {i.Repo}: {i.Files} files, {i.Lines} lines in {i.Seconds:0.00} s ({i.LinesPerSecond:0} lines/s), server peak memory {i.PeakMemoryBytes / (1024 * 1024)} MB"));
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"one keystroke (didChange, then the index update it causes): p50 {p50:0.00} ms, p99 {p99:0.00} ms over {keystrokes.Count} keystrokes"));
        await output.WriteLineAsync($"the rest of each task's line typed again, one character and then codeassist/context at {FirstQueryBudget}:");
        foreach (var (repo, inBody, sorted) in typed)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {repo}, {(inBody ? "inside member bodies" : "among a type's declarations")}: p50 {BenchReport.Percentile(sorted, 0.5):0.00} ms, p99 {BenchReport.Percentile(sorted, 0.99):0.00} ms over {sorted.Count} characters"));
        }
    }
}
