using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeAssist.Bench;
using CodeAssist.Context;
using CodeAssist.Models;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;
using Range = CodeAssist.Server.Protocol.Range;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist bench completion</c>: typing replayed at 10 characters a second into a real server process over LSP, as
/// an editor sends it (a <c>didChange</c> and an automatic inline-completion request per keystroke), on files of
/// <c>samples/</c> and of the public corpus; at the end of each typed line the user stops, and the time to the
/// suggestion is set beside the same prompt sent to llama-server's <c>/infill</c> (with <c>cache_prompt</c>) on the same
/// model and threads, in the same run.
/// </summary>
internal static partial class BenchCommand
{
    private static readonly TimeSpan s_keystroke = TimeSpan.FromMilliseconds(100);

    private sealed record CompletionBenchOptions(string ModelPath, bool Quality, int Threads, int Files, int Lines, IReadOnlyList<string> Workspaces, string? ServerLog);

    /// <summary>A file and the consecutive lines of code in it that the replay deletes and types again.</summary>
    private sealed record ReplayTarget(string Workspace, string Path, int FirstLine, IReadOnlyList<string> Lines);

    /// <summary>One stop at the end of a typed line: our time to the answer, llama-server's for the same prompt.</summary>
    private sealed record FirstSuggestion(double OursMs, bool OursShowed, double? LlamaServerMs, int? LlamaServerPromptTokens, int? LlamaServerGenerated);

    /// <summary>
    /// A line hidden and asked for (with <c>--model</c>): the first suggested line against the real one, and whether the
    /// first suggestion compiles (introduces no error; null when nothing was suggested).
    /// </summary>
    private sealed record QualityProbe(bool WithContext, bool ExactMatch, double EditSimilarity, bool? Compiles);

    private sealed class CompletionRun
    {
        public int Keystrokes;
        public int Requests;
        public double OverheadP50, OverheadP99;
        public int OverheadSamples;
        public long Generations, Cached, PromptTokens, ReusedTokens, Cancelled;
        public readonly List<FirstSuggestion> Stops = [];
        public readonly List<double> ContextAfterEdit = [];
        public readonly List<QualityProbe> Quality = [];
        public readonly List<string> Files = [];
    }

    private static Command CreateCompletion()
    {
        var model = new Option<FileInfo?>("--model", "-m") { Description = "A GGUF to run (default: a random-weight model shaped like a 0.5B coder, written to ~/.cache/codeassist/models); adds quality figures" };
        var threads = new Option<int>("--threads", "-t") { Description = "CPU threads for our server and llama-server alike", DefaultValueFactory = _ => 2 };
        var files = new Option<int>("--files") { Description = "Files replayed per workspace", DefaultValueFactory = _ => 2 };
        var lines = new Option<int>("--lines") { Description = "Lines typed per file", DefaultValueFactory = _ => 3 };
        var corpus = new Option<DirectoryInfo>("--corpus")
        {
            Description = "Where the public corpus is, or is fetched to with get-corpus.sh",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codeassist", "corpus")),
        };
        var repos = new Option<string[]>("--repo")
        {
            Description = "Corpus repositories to replay besides samples/ (default keepass2 newtonsoft-json nunit; 'none' for samples/ only)",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var serverLog = new Option<FileInfo?>("--server-log") { Description = "Write the server's debug log here: each completion's overhead by stage (site, context, check), its wait and its model time" };
        var command = new Command("completion", "Inline completion while typing, through a real server process: server overhead, context after an edit, generations per keystroke, cache and KV-cache reuse, time to the first suggestion beside llama-server")
        {
            model, threads, files, lines, corpus, repos, json, serverLog,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (RepositoryRoot() is not { } root)
            {
                await error.WriteLineAsync("codeassist bench completion: run it from the CodeAssist repository (it replays samples/)");
                return 2;
            }
            var workspaces = new List<string> { Path.Combine(root, "samples") };
            var selected = parseResult.GetValue(repos) is { Length: > 0 } chosen ? chosen : ["keepass2", "newtonsoft-json", "nunit"];
            if (!selected.SequenceEqual(["none"]))
            {
                var corpusDirectory = parseResult.GetValue(corpus)!.FullName;
                var benchDirectory = DefaultTaskFile() is { } taskFile ? Path.GetDirectoryName(taskFile)! : "";
                if (!await EnsureCorpusAsync(benchDirectory, corpusDirectory, selected, error, cancellationToken))
                {
                    await error.WriteLineAsync("codeassist bench completion: the corpus is missing and ../shared/bench/get-corpus.sh could not fetch it; pass --repo none for samples/ only");
                    return 1;
                }
                workspaces.AddRange(selected.Select(r => Path.Combine(corpusDirectory, r)));
            }
            var modelPath = parseResult.GetValue(model)?.FullName ?? await RandomCoderAsync(error, cancellationToken);
            var options = new CompletionBenchOptions(modelPath, parseResult.GetValue(model) is not null, parseResult.GetValue(threads),
                parseResult.GetValue(files), parseResult.GetValue(lines), workspaces, parseResult.GetValue(serverLog)?.FullName);
            CompletionRun run;
            try
            {
                run = await RunCompletionBenchAsync(options, error, cancellationToken);
            }
            catch (ModelException exception)
            {
                await error.WriteLineAsync($"codeassist bench completion: {exception.Message}");
                return 1;
            }
            await PrintCompletion(output, parseResult.GetValue(json), options, run);
            return 0;
        });
        return command;
    }

    /// <summary>The default model: random weights in the shape of a real 0.5B coder (F16, 0.9 GB), written once.</summary>
    private static async Task<string> RandomCoderAsync(TextWriter error, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codeassist", "models", "random-coder-0.5b-starcoder.gguf");
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"Writing {path} (random weights shaped like a 0.5B coder, about 0.9 GB)");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await Task.Run(() => RandomModel.Write(path, RandomModelShape.Coder05B, RandomModel.VocabularyPath("starcoder")), cancellationToken);
        }
        return path;
    }

    private static async Task<CompletionRun> RunCompletionBenchAsync(CompletionBenchOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        var targets = options.Workspaces.SelectMany(w => ReplayTargets(w, options.Files, options.Lines)).ToList();
        await using var llamaServer = File.Exists(LlamaServerPath) ? await LlamaServer.StartAsync(options.ModelPath, options.Threads, error, cancellationToken) : null;
        if (llamaServer is null)
        {
            await error.WriteLineAsync($"{LlamaServerPath} is missing (eng/llama/build.sh builds it): no side-by-side figures");
        }
        // One server for every workspace, as an editor with several folders open: one model load, one index.
        var settings = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["indexCache"] = null,
            ["model"] = options.ModelPath,
            ["modelOptions"] = new Dictionary<string, int> { ["threads"] = options.Threads },
            ["logLevel"] = options.ServerLog is null ? "info" : "debug",
        });
        await error.WriteLineAsync($"Starting the server on {string.Join(", ", options.Workspaces.Select(Path.GetFileName))} with {Path.GetFileName(options.ModelPath)} on {options.Threads} threads");
        await using var serverLog = options.ServerLog is null ? null : TextWriter.Synchronized(new StreamWriter(options.ServerLog) { AutoFlush = true });
        await using var server = await ServerProcess.StartAsync(options.Workspaces, error, settings, cancellationToken, serverLog);
        while (true)
        {
            var status = await server.StatusAsync(cancellationToken);
            if (status.Model.State == "failed")
            {
                throw new ModelException($"the server could not load {options.ModelPath}: {status.Model.Error}");
            }
            if (status.Index.State == "ready" && status.Model.State == "ready")
            {
                break;
            }
            await Task.Delay(100, cancellationToken);
        }
        var run = new CompletionRun();
        // With a real model, the first suggestions are compiled by an engine of our own (the server's checks stay inside it).
        var checkers = new Dictionary<string, ContextEngine>(StringComparer.Ordinal);
        try
        {
            foreach (var target in targets)
            {
                await error.WriteLineAsync($"{Path.GetFileName(target.Workspace)}/{Path.GetRelativePath(target.Workspace, target.Path)}: typing {target.Lines.Count} lines from line {target.FirstLine + 1}");
                ContextEngine? checker = null;
                if (options.Quality && !checkers.TryGetValue(target.Workspace, out checker))
                {
                    checker = checkers[target.Workspace] = new ContextEngine(new ContextOptions { WorkspaceFolders = [target.Workspace] });
                    await checker.IndexAsync(null, cancellationToken);
                }
                await ReplayAsync(server, llamaServer, checker, target, options, run, error, cancellationToken);
            }
        }
        finally
        {
            foreach (var checker in checkers.Values)
            {
                checker.Dispose();
            }
        }
        var overhead = (await server.StatusAsync(cancellationToken)).Completion.OverheadMs;
        (run.OverheadP50, run.OverheadP99, run.OverheadSamples) = (overhead.P50, overhead.P99, overhead.Samples);
        return run;
    }

    /// <summary>
    /// Files with <paramref name="lines"/> consecutive lines of plain code (inside a member, 10 to 100 characters, no
    /// comments or attributes) from halfway down, spread evenly over the workspace's C# files in path order.
    /// </summary>
    private static IEnumerable<ReplayTarget> ReplayTargets(string workspace, int files, int lines)
    {
        var candidates = Directory.EnumerateFiles(workspace, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var found = 0;
        for (var i = 0; i < candidates.Count && found < files; i++)
        {
            var path = candidates[(int)((long)i * candidates.Count / Math.Max(1, Math.Min(candidates.Count, files * 4)) % candidates.Count)];
            var text = File.ReadAllText(path);
            var all = TaskDocument.SplitLines(text).Select(l => text.Substring(l.Start, l.Length)).ToArray();
            for (var start = all.Length / 2; start + lines < all.Length; start++)
            {
                var window = all.Skip(start).Take(lines).ToArray();
                if (window.All(IsPlainCode))
                {
                    found++;
                    yield return new ReplayTarget(workspace, path, start, window);
                    break;
                }
            }
        }
    }

    private static bool IsPlainCode(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length is >= 10 and <= 100 && line.Length - line.TrimStart().Length >= 8
            && !trimmed.StartsWith("//", StringComparison.Ordinal) && !trimmed.StartsWith("/*", StringComparison.Ordinal)
            && !trimmed.StartsWith('*') && !trimmed.StartsWith('#') && !trimmed.StartsWith('[');
    }

    /// <summary>
    /// Deletes the target's lines and types them again: indentation arrives with each line break (an editor's
    /// auto-indent), every other character is a keystroke 100 ms after the last with an automatic request that is not
    /// awaited. At the end of each line the user stops: the last request's answer is awaited and timed, then the same
    /// prompt goes to llama-server, then the suggestion is reported shown.
    /// </summary>
    private static async Task ReplayAsync(ServerProcess server, LlamaServer? llamaServer, ContextEngine? checker, ReplayTarget target, CompletionBenchOptions options,
        CompletionRun run, TextWriter error, CancellationToken cancellationToken)
    {
        var original = await File.ReadAllTextAsync(target.Path, cancellationToken);
        var lineBreak = original.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = new LineIndex(original);
        var regionStart = lines.ToOffset(original, new Position(target.FirstLine, 0));
        var regionEnd = lines.ToOffset(original, new Position(target.FirstLine + target.Lines.Count, 0));
        var document = new ReplayDocument(server, DocumentUri.FromPath(target.Path), original[..regionStart] + original[regionEnd..], regionStart);
        await server.OpenAsync(document.Uri, document.Text);
        // As an editor does on opening a file: the index has the document before the user types in it.
        await server.ContextAsync(document.Uri, document.Position, 0, cancellationToken);
        run.Files.Add($"{Path.GetFileName(target.Workspace)}/{Path.GetRelativePath(target.Workspace, target.Path).Replace('\\', '/')}:{target.FirstLine + 1}");

        var before = (await server.StatusAsync(cancellationToken)).Completion;
        var requests = new List<Task<TimedAnswer>>();
        for (var index = 0; index < target.Lines.Count; index++)
        {
            var line = target.Lines[index];
            var indentation = line[..(line.Length - line.TrimStart().Length)];
            var clock = Stopwatch.StartNew();
            var next = TimeSpan.Zero;
            if (index == 0)
            {
                await document.InsertAsync(indentation);
            }
            else
            {
                await document.InsertAsync(lineBreak + indentation); // Enter: a keystroke like any other
                requests.Add(document.RequestAsync(cancellationToken));
                run.Keystrokes++;
                next += s_keystroke;
            }
            foreach (var character in line.TrimStart())
            {
                if (clock.Elapsed < next)
                {
                    await Task.Delay(next - clock.Elapsed, cancellationToken);
                }
                next += s_keystroke;
                await document.InsertAsync(character.ToString());
                requests.Add(document.RequestAsync(cancellationToken));
                run.Keystrokes++;
            }
            // The user stops typing: the last request's answer is the suggestion they wait for.
            var stop = await requests[^1];
            double? llamaMs = null;
            Usage? llamaUsage = null;
            string? llamaPrompt = null;
            if (llamaServer is not null)
            {
                var context = await server.ContextAsync(document.Uri, document.Position, 1024, cancellationToken);
                try
                {
                    (llamaMs, llamaUsage, llamaPrompt) = await llamaServer.InfillAsync(document.Text, document.Cursor, target.Workspace, context, cancellationToken);
                }
                catch (ModelException exception)
                {
                    await error.WriteLineAsync($"  llama-server failed at this stop, which is left out of the comparison: {exception.Message}");
                }
            }
            run.Stops.Add(new FirstSuggestion(stop.Milliseconds, stop.Items.Length > 0, llamaMs, llamaUsage?.PromptTokens, llamaUsage?.GeneratedTokens));
            string theirs = llamaUsage is { } u
                ? string.Create(CultureInfo.InvariantCulture, $"{llamaMs:0} ms ({u.Describe()}; {llamaPrompt})")
                : "-";
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  stop after line {index + 1}: ours {stop.Milliseconds:0} ms ({stop.Items.Length} items), llama-server {theirs}"));
            if (stop.Items.Length > 0)
            {
                await server.NotifyAsync(DidShowCompletionMethod, new CompletionIdParams(stop.Items[0].CompletionId), ProtocolJson.Default.CompletionIdParams);
            }
            await Task.Delay(300, cancellationToken);
        }
        await document.InsertAsync(lineBreak);
        await Task.WhenAll(requests);
        run.Requests += requests.Count;
        var after = (await server.StatusAsync(cancellationToken)).Completion;
        run.Generations += after.GenerationsStarted - before.GenerationsStarted;
        run.Cached += after.AnsweredFromCache - before.AnsweredFromCache;
        run.Cancelled += after.Cancelled - before.Cancelled;
        run.PromptTokens += after.PromptTokens - before.PromptTokens;
        run.ReusedTokens += after.ReusedPromptTokens - before.ReusedPromptTokens;

        // The context query right after a one-character edit, with the budget a completion prompt uses.
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            await document.InsertAsync(i % 2 == 0 ? "x" : " ");
            await server.ContextAsync(document.Uri, document.Position, 1024, cancellationToken);
            run.ContextAfterEdit.Add(watch.Elapsed.TotalMilliseconds);
        }
        await document.ReplaceAllAsync(original);

        if (checker is not null)
        {
            run.Quality.AddRange(await ProbeQualityAsync(server, target, original, withContext: true, checker, cancellationToken));
            await server.NotifyAsync("workspace/didChangeConfiguration", new DidChangeConfigurationParams(JsonSerializer.SerializeToElement(new { completion = new { contextTokens = 0 } })), ProtocolJson.Default.DidChangeConfigurationParams);
            run.Quality.AddRange(await ProbeQualityAsync(server, target, original, withContext: false, checker, cancellationToken));
            await server.NotifyAsync("workspace/didChangeConfiguration", new DidChangeConfigurationParams(JsonSerializer.SerializeToElement(new { completion = new { contextTokens = 1024 } })), ProtocolJson.Default.DidChangeConfigurationParams);
        }
        await server.CloseAsync(document.Uri);
    }

    private const string DidShowCompletionMethod = Handlers.DidShowCompletionHandler.Method;

    /// <summary>
    /// Each target line hidden (after its indentation) in an otherwise whole file, one invoked request, and the first
    /// suggested line scored against the real one. The passes without context use a document of their own (a sibling
    /// path never on disk), so neither the suggestion cache nor the KV cache carries answers between passes.
    /// </summary>
    private static async Task<List<QualityProbe>> ProbeQualityAsync(ServerProcess server, ReplayTarget target, string original, bool withContext, ContextEngine checker,
        CancellationToken cancellationToken)
    {
        var probes = new List<QualityProbe>();
        var path = withContext ? target.Path : Path.ChangeExtension(target.Path, ".without-context.cs");
        var uri = DocumentUri.FromPath(path);
        var lines = new LineIndex(original);
        for (var index = 0; index < target.Lines.Count; index++)
        {
            var line = target.Lines[index];
            var indentation = line.Length - line.TrimStart().Length;
            var start = lines.ToOffset(original, new Position(target.FirstLine + index, indentation));
            var text = original[..start] + original[(start + line.Length - indentation)..];
            var position = new LineIndex(text).ToPosition(start);
            await server.OpenAsync(uri, text);
            var answer = await server.RequestAsync(Handlers.InlineCompletionHandler.Method,
                new InlineCompletionParams(new TextDocumentIdentifier(uri), position, new InlineCompletionContext(1)), ProtocolJson.Default.InlineCompletionParams, cancellationToken);
            await server.CloseAsync(uri);
            var items = answer.Deserialize(ProtocolJson.Default.InlineCompletionList)!.Items;
            var suggested = items.Length == 0 ? "" : FirstLine(items[0].InsertText[(position.Character - items[0].Range.Start.Character)..]);
            var expected = line.Trim();
            bool? compiles = null;
            if (items.Length > 0)
            {
                // What the item inserts at the cursor: its text after the cursor, less what it retypes of the line.
                var item = items[0];
                var inserted = item.InsertText[(position.Character - item.Range.Start.Character)..];
                inserted = inserted[..^(item.Range.End.Character - position.Character)];
                checker.OpenOrChange(target.Path, text);
                var check = checker.CheckInsertions(target.Path, position.Line, position.Character, [inserted], cancellationToken);
                checker.Close(target.Path);
                compiles = !check[0].Diagnostics.Any(d => d.IsError);
            }
            probes.Add(new QualityProbe(withContext, suggested.Trim() == expected, EditSimilarity(suggested.Trim(), expected), compiles));
        }
        return probes;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    /// <summary>1 − Levenshtein distance / the longer length.</summary>
    private static double EditSimilarity(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return 1 - (double)previous[b.Length] / Math.Max(a.Length, b.Length);
    }

    private sealed record TimedAnswer(double Milliseconds, (string CompletionId, string InsertText)[] Items);

    /// <summary>The document being typed into: its text as the client has it, the cursor, and the edits and requests that keep both in step.</summary>
    private sealed class ReplayDocument(ServerProcess server, string uri, string text, int cursor)
    {
        private int _version = 1;

        public string Uri { get; } = uri;
        public string Text { get; private set; } = text;
        public int Cursor { get; private set; } = cursor;
        public Position Position => new LineIndex(Text).ToPosition(Cursor);

        public Task InsertAsync(string inserted)
        {
            var at = Position;
            Text = Text.Insert(Cursor, inserted);
            Cursor += inserted.Length;
            return server.NotifyAsync("textDocument/didChange",
                new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(Uri, ++_version), [new TextDocumentContentChangeEvent(inserted, new Range(at, at))]),
                ProtocolJson.Default.DidChangeTextDocumentParams);
        }

        public Task ReplaceAllAsync(string replacement)
        {
            Text = replacement;
            Cursor = Math.Min(Cursor, Text.Length);
            return server.NotifyAsync("textDocument/didChange",
                new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(Uri, ++_version), [new TextDocumentContentChangeEvent(replacement)]),
                ProtocolJson.Default.DidChangeTextDocumentParams);
        }

        /// <summary>An automatic request at the cursor, timed from now to its answer.</summary>
        public async Task<TimedAnswer> RequestAsync(CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var answer = await server.RequestAsync(Handlers.InlineCompletionHandler.StandardMethod,
                new InlineCompletionParams(new TextDocumentIdentifier(Uri), Position, new InlineCompletionContext(2)), ProtocolJson.Default.InlineCompletionParams, cancellationToken);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            var items = answer.Deserialize(ProtocolJson.Default.InlineCompletionList)!.Items;
            return new TimedAnswer(elapsed, items.Select(i => (i.Command!.Arguments![0].Deserialize(ProtocolJson.Default.CompletionIdParams)!.CompletionId, i.InsertText)).ToArray());
        }
    }

    private static string LlamaServerPath => Path.Combine(LlamaLibrary.InstallDirectory, "bin", "llama-server");

    /// <summary>llama.cpp's own server on the same model and threads, on loopback, driven through our remote backend's <c>/infill</c>.</summary>
    private sealed class LlamaServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly RemoteCodeModel _model;

        private LlamaServer(Process process, Uri url)
        {
            _process = process;
            // A cold prompt of a 0.5B model on two busy cores can take minutes.
            _model = new RemoteCodeModel(new RemoteModelOptions { BaseUrl = url, Api = RemoteApi.LlamaServer, MaxRetries = 0, RequestTimeout = TimeSpan.FromMinutes(10) });
        }

        public static async Task<LlamaServer> StartAsync(string modelPath, int threads, TextWriter error, CancellationToken cancellationToken)
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo(LlamaServerPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // The same window our server gives the model (8192 tokens) and one slot, as one editor uses it.
            foreach (var argument in new[] { "-m", modelPath, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "-c", "8192", "-t", threads.ToString(CultureInfo.InvariantCulture), "-np", "1", "--no-webui" })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new ModelException("llama-server did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var url = new Uri($"http://127.0.0.1:{port}/");
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new ModelException($"llama-server exited with code {process.ExitCode} before it was ready");
                }
                try
                {
                    if ((await client.GetAsync(new Uri(url, "health"), cancellationToken)).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
                if (waited.Elapsed > TimeSpan.FromMinutes(5))
                {
                    process.Kill(entireProcessTree: true);
                    throw new ModelException("llama-server was not ready within 5 minutes");
                }
                await Task.Delay(200, cancellationToken);
            }
            await error.WriteLineAsync($"llama-server ready on {url} ({threads} threads)");
            return new LlamaServer(process, url);
        }

        /// <summary>
        /// The prompt our server builds for this cursor, as llama-server takes it: the same windows of the document (a
        /// prefix of whole lines up to 4608 characters, the rest of the line and up to 12 more, 384 characters at most)
        /// and the context engine's items as <c>input_extra</c>; greedy, the same maximum of 64 tokens.
        /// </summary>
        /// <returns>The time, llama-server's usage, and the prompt's parts as the server's debug log gives ours.</returns>
        public async Task<(double Milliseconds, Usage Usage, string Prompt)> InfillAsync(string text, int cursor, string workspace, ContextResponse context, CancellationToken cancellationToken)
        {
            var prefixStart = cursor <= 4608 ? 0 : text.IndexOf('\n', cursor - 4608) + 1;
            var suffixEnd = cursor;
            for (var line = 0; line <= 12 && suffixEnd < text.Length; line++)
            {
                var lineBreak = text.IndexOf('\n', suffixEnd);
                var next = lineBreak < 0 ? text.Length : lineBreak + 1;
                if (next - cursor > 384)
                {
                    break;
                }
                suffixEnd = next;
            }
            var fim = new FimPrompt
            {
                Prefix = text[prefixStart..cursor],
                Suffix = text[cursor..suffixEnd],
                Snippets = context.Items.Select(i => new ContextSnippet(Path.GetRelativePath(workspace, DocumentUri.GetPath(i.Uri)), i.Text)).ToArray(),
            };
            var watch = Stopwatch.StartNew();
            var usage = Usage.Empty;
            await foreach (var chunk in _model.CompleteAsync(new CompletionRequest { Fim = fim, MaxTokens = 64 }, cancellationToken))
            {
                usage = chunk.Usage;
            }
            return (watch.Elapsed.TotalMilliseconds, usage, fim.Describe());
        }

        public async ValueTask DisposeAsync()
        {
            await _model.DisposeAsync();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
            _process.Dispose();
        }
    }

    /// <summary>The repository this build came from (or the current directory's): where samples/ is.</summary>
    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CodeAssist.sln")) && Directory.Exists(Path.Combine(directory.FullName, "samples")))
                {
                    return directory.FullName;
                }
            }
        }
        return null;
    }

    private static async Task PrintCompletion(TextWriter output, bool json, CompletionBenchOptions options, CompletionRun run)
    {
        var contextAfterEdit = run.ContextAfterEdit.Order().ToList();
        var ours = run.Stops.Select(s => s.OursMs).Order().ToList();
        var paired = run.Stops.Where(s => s.LlamaServerMs is not null).ToList();
        var theirs = paired.Select(s => s.LlamaServerMs!.Value).Order().ToList();
        var ratios = paired.Select(s => s.OursMs / s.LlamaServerMs!.Value).Order().ToList();
        double P(List<double> values, double quantile) => BenchReport.Percentile(values, quantile);
        var perHundred = run.Keystrokes == 0 ? 0 : 100.0 * run.Generations / run.Keystrokes;
        var cacheShare = run.Requests == 0 ? 0 : (double)run.Cached / run.Requests;
        var kvShare = run.PromptTokens == 0 ? 0 : (double)run.ReusedTokens / run.PromptTokens;
        var withContext = run.Quality.Where(q => q.WithContext).ToList();
        var withoutContext = run.Quality.Where(q => !q.WithContext).ToList();

        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                void Spread(string name, List<double> values)
                {
                    writer.WriteStartObject(name);
                    writer.WriteNumber("p50", Math.Round(P(values, 0.5), 2));
                    writer.WriteNumber("p99", Math.Round(P(values, 0.99), 2));
                    writer.WriteNumber("min", Math.Round(values.FirstOrDefault(), 2));
                    writer.WriteNumber("max", Math.Round(values.LastOrDefault(), 2));
                    writer.WriteNumber("samples", values.Count);
                    writer.WriteEndObject();
                }
                writer.WriteStartObject();
                writer.WriteString("model", options.ModelPath);
                writer.WriteNumber("threads", options.Threads);
                writer.WriteStartArray("files");
                foreach (var file in run.Files)
                {
                    writer.WriteStringValue(file);
                }
                writer.WriteEndArray();
                writer.WriteNumber("keystrokes", run.Keystrokes);
                writer.WriteNumber("requests", run.Requests);
                writer.WriteStartObject("overheadMs");
                writer.WriteNumber("p50", Math.Round(run.OverheadP50, 2));
                writer.WriteNumber("p99", Math.Round(run.OverheadP99, 2));
                writer.WriteNumber("samples", run.OverheadSamples);
                writer.WriteEndObject();
                Spread("contextAfterEditMs", contextAfterEdit);
                writer.WriteNumber("generationsPer100Keystrokes", Math.Round(perHundred, 2));
                writer.WriteNumber("cacheAnsweredShare", Math.Round(cacheShare, 4));
                writer.WriteNumber("kvReuseShare", Math.Round(kvShare, 4));
                writer.WriteStartObject("firstSuggestion");
                writer.WriteNumber("oursMs", Math.Round(P(ours, 0.5), 1));
                if (paired.Count > 0)
                {
                    writer.WriteNumber("llamaServerMs", Math.Round(P(theirs, 0.5), 1));
                    writer.WriteNumber("ratio", Math.Round(P(ratios, 0.5), 3));
                    writer.WriteNumber("ratioMin", Math.Round(ratios[0], 3));
                    writer.WriteNumber("ratioMax", Math.Round(ratios[^1], 3));
                }
                else
                {
                    writer.WriteNull("llamaServerMs");
                    writer.WriteNull("ratio");
                }
                writer.WriteNumber("samples", run.Stops.Count);
                writer.WriteNumber("oursShownShare", run.Stops.Count == 0 ? 0 : Math.Round((double)run.Stops.Count(s => s.OursShowed) / run.Stops.Count, 3));
                writer.WriteEndObject();
                if (options.Quality)
                {
                    writer.WriteStartObject("quality");
                    foreach (var (name, probes) in new[] { ("withContext", withContext), ("withoutContext", withoutContext) })
                    {
                        writer.WriteStartObject(name);
                        writer.WriteNumber("exactMatch", probes.Count == 0 ? 0 : Math.Round(probes.Average(p => p.ExactMatch ? 1.0 : 0.0), 4));
                        writer.WriteNumber("editSimilarity", probes.Count == 0 ? 0 : Math.Round(probes.Average(p => p.EditSimilarity), 4));
                        writer.WriteNumber("lines", probes.Count);
                        var suggested = probes.Where(p => p.Compiles is not null).ToList();
                        writer.WriteNumber("compileShare", suggested.Count == 0 ? 0 : Math.Round(suggested.Average(p => p.Compiles == true ? 1.0 : 0.0), 4));
                        writer.WriteEndObject();
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            await output.WriteLineAsync(Encoding.UTF8.GetString(stream.ToArray()));
            return;
        }
        string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
        await output.WriteLineAsync($"inline completion through `codeassist serve --stdio`, {Path.GetFileName(options.ModelPath)} on {options.Threads} threads; {run.Files.Count} files, {run.Keystrokes} keystrokes at 10/s, {run.Requests} requests");
        await output.WriteLineAsync($"server overhead per completion (model and debounce excluded): p50 {F(run.OverheadP50, "0.00")} ms, p99 {F(run.OverheadP99, "0.00")} ms over {run.OverheadSamples} completions");
        await output.WriteLineAsync($"context query right after a one-character edit (1024 tokens): p50 {F(P(contextAfterEdit, 0.5), "0.00")} ms, p99 {F(P(contextAfterEdit, 0.99), "0.00")} ms over {contextAfterEdit.Count}");
        await output.WriteLineAsync($"generations started per 100 keystrokes: {F(perHundred)}; answered from the cache: {F(100 * cacheShare)}% of requests; prompt tokens reused from the KV cache: {F(100 * kvShare)}%");
        await output.WriteLineAsync($"time to the suggestion after the user stops typing: ours p50 {F(P(ours, 0.5), "0")} ms (min {F(ours.FirstOrDefault(), "0")}, max {F(ours.LastOrDefault(), "0")}) over {ours.Count} stops, {run.Stops.Count(s => s.OursShowed)} with a suggestion");
        if (paired.Count > 0)
        {
            await output.WriteLineAsync($"  llama-server /infill, same prompt: p50 {F(P(theirs, 0.5), "0")} ms (min {F(theirs[0], "0")}, max {F(theirs[^1], "0")}), prompts of {F(paired.Average(s => s.LlamaServerPromptTokens ?? 0), "0")} tokens, {F(paired.Average(s => s.LlamaServerGenerated ?? 0), "0")} generated");
            await output.WriteLineAsync($"  ours / llama-server per stop: median {F(P(ratios, 0.5), "0.00")} (min {F(ratios[0], "0.00")}, max {F(ratios[^1], "0.00")})");
        }
        if (options.Quality)
        {
            foreach (var (name, probes) in new[] { ("with cross-file context", withContext), ("without", withoutContext) })
            {
                var suggested = probes.Where(p => p.Compiles is not null).ToList();
                await output.WriteLineAsync($"first suggested line {name}: exact match {F(probes.Count == 0 ? 0 : probes.Average(p => p.ExactMatch ? 1.0 : 0.0), "0.000")}, edit similarity {F(probes.Count == 0 ? 0 : probes.Average(p => p.EditSimilarity), "0.000")} over {probes.Count} lines; {suggested.Count(p => p.Compiles == true)} of {suggested.Count} first suggestions compile");
            }
        }
    }
}
