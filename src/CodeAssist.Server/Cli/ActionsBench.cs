using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodeAssist.Bench;
using CodeAssist.Context;
using CodeAssist.Features;
using CodeAssist.Features.Actions;
using CodeAssist.Features.Chat;
using CodeAssist.Features.Prompts;
using CodeAssist.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist bench actions</c>: on a repository (keepass2 by default), chat retrieval recall at 8K and 32K tokens beside
/// BM25 alone, for questions generated from the repository's own declarations ("What does Type.Member do?" answered by the
/// member, "Where is Type.Member used?" by a member that calls it); prompt assembly time and tokens of each action; time to
/// the first streamed token with the 0.5B-shaped random model.
/// </summary>
internal static class ActionsBench
{
    private static readonly int[] s_budgets = [2048, 8192, 32768];

    private sealed record Generated(string Kind, string Text, string Name, IReadOnlyList<(string Path, int StartLine, int EndLine)> Answers, string DeclarationPath, int DeclarationLine, int DeclarationEndLine);

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo?>("DIR")
        {
            Description = "The repository (default: keepass2 of the corpus, ~/.cache/codeassist/corpus/keepass2)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "The model (default: a random-weight model of Qwen2.5-Coder-0.5B's shape, written to ~/.cache/codeassist/models once)" };
        var threads = new Option<int>("--threads", "-t") { Description = "CPU threads of the model", DefaultValueFactory = _ => 2 };
        var questions = new Option<int>("--questions", "-q") { Description = "Questions of each kind", DefaultValueFactory = _ => 100 };
        var firstToken = new Option<int>("--first-token") { Description = "Chats whose time to the first token is measured, per budget (0: none)", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (chatRecall and chatRecallBm25 keyed by budget)" };
        var command = new Command("actions", "Chat retrieval recall at 8K and 32K beside BM25 alone, prompt assembly time and tokens per action, time to the first streamed token")
        {
            folder, model, threads, questions, firstToken, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string root = parseResult.GetValue(folder)?.FullName
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codeassist", "corpus", "keepass2");
            if (!Directory.Exists(root))
            {
                await error.WriteLineAsync($"codeassist bench actions: {root} does not exist; fetch the corpus with ../shared/bench/get-corpus.sh ~/.cache/codeassist/corpus");
                return 2;
            }
            string modelPath = parseResult.GetValue(model)?.FullName ?? DefaultModel(error);
            await using var codeModel = LlamaCodeModel.Open(modelPath, new LlamaCodeModelOptions
            {
                Context = new LlamaContextOptions { ContextSize = 32768, Threads = parseResult.GetValue(threads) },
            }, cancellationToken);
            using var engine = new ContextEngine(new ContextOptions { WorkspaceFolders = [root], CacheDirectory = ServerSettings.Default.IndexCache });
            engine.CountTokens = text => codeModel.Model.Tokenize(text).Length;
            var indexing = Stopwatch.StartNew();
            await engine.IndexAsync(null, cancellationToken);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"indexed {engine.Status.FilesIndexed} files in {indexing.Elapsed.TotalSeconds:0.0} s"));
            var bench = new Workbench(engine, codeModel, PromptLibrary.BuiltIn) { WorkspaceFolders = [root] };

            var generated = Questions(root, parseResult.GetValue(questions), cancellationToken);
            await error.WriteLineAsync($"{generated.Count} questions from the repository's declarations");
            var recall = Recall(engine, generated, cancellationToken);
            var assembly = await AssemblyAsync(bench, generated.Where(q => q.Kind == "what").Take(20).ToArray(), cancellationToken);
            var firstTokens = await FirstTokenAsync(bench, generated.Where(q => q.Kind == "what").Take(parseResult.GetValue(firstToken)).ToArray(), error, cancellationToken);

            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(Json(root, engine, codeModel, parseResult.GetValue(threads), generated, recall, assembly, firstTokens));
                return 0;
            }
            await output.WriteLineAsync($"{root}: {engine.Status.FilesIndexed} files; {generated.Count(q => q.Kind == "what")} what-questions, {generated.Count(q => q.Kind == "where")} where-questions");
            foreach (var budget in s_budgets)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"recall at {budget}: chat {recall[(budget, false)].All:0.000} (what {recall[(budget, false)].What:0.000}, where {recall[(budget, false)].Where:0.000}); " +
                    $"BM25 alone {recall[(budget, true)].All:0.000} (what {recall[(budget, true)].What:0.000}, where {recall[(budget, true)].Where:0.000})"));
            }
            foreach (var (action, samples) in assembly)
            {
                if (samples.Count == 0)
                {
                    await output.WriteLineAsync($"{action,-9} not measured here (for tests: the repository has no test project)");
                    continue;
                }
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{action,-9} prompt assembly p50 {Percentile(samples.Select(s => s.Milliseconds), 0.5):0.0} ms, p95 {Percentile(samples.Select(s => s.Milliseconds), 0.95):0.0} ms; tokens p50 {Percentile(samples.Select(s => (double)s.Tokens), 0.5):0}"));
            }
            foreach (var (budget, times) in firstTokens.Where(f => f.Times.Count > 0))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"first token with {Path.GetFileName(modelPath)} on {parseResult.GetValue(threads)} threads, {budget}-token context: p50 {Percentile(times.Select(t => t.Milliseconds), 0.5) / 1000:0.0} s ({string.Join(", ", times.Select(t => $"{t.PromptTokens} tokens {t.Milliseconds / 1000:0.0} s"))})"));
            }
            return 0;
        });
        return command;
    }

    /// <summary>The 0.5B-shaped random model with Qwen2's tokenizer, written once.</summary>
    private static string DefaultModel(TextWriter error)
    {
        string path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "codeassist", "models", "random-coder-0.5b-qwen2.gguf");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            error.WriteLine($"writing {path} (random weights, 0.9 GB)");
            RandomModel.Write(path, RandomModelShape.Coder05B, RandomModel.VocabularyPath("qwen2"));
        }
        return path;
    }

    /// <summary>
    /// Questions from the repository's own methods (with a body of two statements or more), named as people name them,
    /// <c>Type.Method</c>: what each does (answered by its declaration, any overload) and where it is used (answered by any
    /// member of another file whose call Roslyn binds to it). Names declared up to 8 times are included, so the type in the
    /// question matters. Sampled with a fixed seed.
    /// </summary>
    private static IReadOnlyList<Generated> Questions(string root, int perKind, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f, cancellationToken: cancellationToken)).ToArray();
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.EnumerateFiles(runtime, "System*.dll").Append(Path.Combine(runtime, "netstandard.dll")).Where(File.Exists)
            .Select(f => MetadataReference.CreateFromFile(f)).ToArray();
        var compilation = CSharpCompilation.Create("Questions", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, concurrentBuild: false));
        var methods = trees.SelectMany(t => t.GetRoot(cancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>()).ToArray();
        var byName = methods.ToLookup(m => m.Identifier.ValueText);
        var candidates = methods
            .Where(m => m.Body is { Statements.Count: >= 2 } && m.Identifier.ValueText.Length >= 4 && m.Parent is TypeDeclarationSyntax && byName[m.Identifier.ValueText].Count() <= 8)
            .ToArray();
        var calls = trees.SelectMany(t => t.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            .Select(i => (Name: i.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                IdentifierNameSyntax name => name.Identifier.ValueText,
                _ => null,
            }, Call: i))
            .Where(c => c.Name is not null)
            .ToLookup(c => c.Name!, c => c.Call);

        var random = new Random(42);
        var what = new List<Generated>();
        var where = new List<Generated>();
        foreach (var method in candidates.OrderBy(_ => random.Next()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var type = (TypeDeclarationSyntax)method.Parent!;
            string name = $"{type.Identifier.ValueText}.{method.Identifier.ValueText}";
            var (path, start, end) = Span(method);
            var overloads = type.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.ValueText == method.Identifier.ValueText).Select(Span).ToArray();
            // Half the questions name the method as code, half in words: "What does the pw database merge in do?"
            bool prose = (what.Count + where.Count) % 2 == 1;
            string spoken = $"{Words(method.Identifier.ValueText)} of the {Words(type.Identifier.ValueText)}";
            if (what.Count < perKind)
                what.Add(new Generated("what", prose ? $"What does {spoken} do?" : $"What does {name} do?", method.Identifier.ValueText, overloads, path, start, end));
            if (where.Count >= perKind) continue;
            var declared = compilation.GetSemanticModel(method.SyntaxTree).GetDeclaredSymbol(method, cancellationToken);
            var users = calls[method.Identifier.ValueText]
                .Where(c => c.SyntaxTree.FilePath != path)
                .Where(c =>
                {
                    var info = compilation.GetSemanticModel(c.SyntaxTree).GetSymbolInfo(c, cancellationToken);
                    var bound = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
                    return bound is not null && SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition, declared);
                })
                .Select(c => c.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m is not BaseTypeDeclarationSyntax))
                .OfType<MemberDeclarationSyntax>()
                .Select(Span).Distinct().ToArray();
            if (users.Length > 0)
                where.Add(new Generated("where", prose ? $"Where is {spoken} used?" : $"Where is {name} used?", method.Identifier.ValueText, users, path, start, end));
            if (what.Count >= perKind && where.Count >= perKind) break;
        }
        return [.. what, .. where];
    }

    /// <summary>An identifier as words: <c>MergeIn</c> → "merge in".</summary>
    private static string Words(string identifier) =>
        System.Text.RegularExpressions.Regex.Replace(identifier, "(?<=[a-z0-9])(?=[A-Z])|_", " ").ToLowerInvariant().Trim();

    private static (string Path, int StartLine, int EndLine) Span(SyntaxNode node)
    {
        var lines = node.GetLocation().GetLineSpan();
        return (node.SyntaxTree.FilePath, lines.StartLinePosition.Line, lines.EndLinePosition.Line);
    }

    private sealed record RecallFigure(double All, double What, double Where);

    /// <summary>
    /// A question is answered when an item of the packed context overlaps one of its answers' lines and names the method
    /// (for a where-question, the caller's text holds the call): as the context benchmark counts a needed declaration.
    /// </summary>
    private static Dictionary<(int Budget, bool Bm25), RecallFigure> Recall(ContextEngine engine, IReadOnlyList<Generated> questions, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<(int, bool), RecallFigure>();
        foreach (var budget in s_budgets)
        {
            foreach (var bm25 in new[] { false, true })
            {
                var hits = questions.Select(q =>
                {
                    var context = engine.GetQuestionContext(new Question { Text = q.Text, LexicalOnly = bm25 }, budget, cancellationToken);
                    return (q.Kind, Hit: context.Items.Any(i => q.Answers.Any(a => a.Path == i.Path && i.Range.StartLine <= a.EndLine && a.StartLine <= i.Range.EndLine)
                        && i.Text.Contains(q.Name, StringComparison.Ordinal)));
                }).ToArray();
                double Share(IEnumerable<(string Kind, bool Hit)> subset) => subset.Any() ? subset.Count(h => h.Hit) / (double)subset.Count() : 0;
                figures[(budget, bm25)] = new RecallFigure(Share(hits), Share(hits.Where(h => h.Kind == "what")), Share(hits.Where(h => h.Kind == "where")));
            }
        }
        return figures;
    }

    private sealed record Assembly(double Milliseconds, int Tokens);

    /// <summary>
    /// Prompt assembly of each action on the same members: timed from the call to the moment the prompt is handed to the
    /// model (the prompt observer), which then cancels, so no generation is measured.
    /// </summary>
    private static async Task<List<(string Action, List<Assembly> Samples)>> AssemblyAsync(Workbench bench, IReadOnlyList<Generated> questions, CancellationToken cancellationToken)
    {
        var results = new List<(string, List<Assembly>)>();
        var actions = new (string Name, Func<Workbench, Generated, CodeSelection, CancellationToken, Task> Run)[]
        {
            ("chat", (b, q, _, ct) => RepositoryChat.AnswerAsync(b, new ChatInput([new ChatMessage("user", q.Text)]), null, ct)),
            ("explain", (b, _, s, ct) => CodeExplanation.ExplainAsync(b, s, null, ct)),
            ("document", (b, _, s, ct) => DocComments.WriteAsync(b, s, overwrite: true, null, ct)),
            ("tests", (b, _, s, ct) => TestGeneration.GenerateAsync(b, s, null, ct)),
            ("translate", (b, _, s, ct) => Translation.TranslateAsync(b, s, "python", null, ct)),
        };
        foreach (var (name, run) in actions)
        {
            var samples = new List<Assembly>();
            foreach (var question in questions)
            {
                var text = await File.ReadAllTextAsync(question.DeclarationPath, cancellationToken);
                var lines = new Documents.LineIndex(text);
                var selection = new CodeSelection(question.DeclarationPath, text, lines.ToOffset(text, new Protocol.Position(question.DeclarationLine, 0)),
                    lines.ToOffset(text, new Protocol.Position(question.DeclarationEndLine + 1, 0)), CodeLanguage.CSharp);
                using var handed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Assembly? sample = null;
                var stopwatch = Stopwatch.StartNew();
                var observed = bench with
                {
                    PromptObserver = (_, messages) =>
                    {
                        sample ??= new Assembly(stopwatch.Elapsed.TotalMilliseconds, messages.Sum(m => bench.Model.CountTokens(m.Content)));
                        handed.Cancel();
                    },
                };
                try
                {
                    await run(observed, question, selection, handed.Token);
                }
                catch (OperationCanceledException) when (handed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                }
                catch (FeatureException)
                {
                    continue; // not applicable here (no test project, a member already documented): not a sample
                }
                if (sample is not null) samples.Add(sample);
            }
            results.Add((name, samples));
        }
        return results;
    }

    private sealed record FirstToken(int PromptTokens, double Milliseconds);

    /// <summary>Chats timed from the request to the first streamed text, with the context capped at each budget.</summary>
    private static async Task<List<(int Budget, List<FirstToken> Times)>> FirstTokenAsync(Workbench bench, IReadOnlyList<Generated> questions, TextWriter error,
        CancellationToken cancellationToken)
    {
        var results = new List<(int, List<FirstToken>)>();
        foreach (var budget in new[] { 2048, 8192 })
        {
            var times = new List<FirstToken>();
            foreach (var question in questions)
            {
                using var first = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                int promptTokens = 0;
                double? milliseconds = null;
                var stopwatch = Stopwatch.StartNew();
                var observed = bench with { PromptObserver = (_, messages) => promptTokens = messages.Sum(m => bench.Model.CountTokens(m.Content)) };
                try
                {
                    await RepositoryChat.AnswerAsync(observed, new ChatInput([new ChatMessage("user", question.Text)], null, budget), (_, _) =>
                    {
                        milliseconds ??= stopwatch.Elapsed.TotalMilliseconds;
                        first.Cancel();
                        return Task.CompletedTask;
                    }, first.Token);
                }
                catch (OperationCanceledException) when (first.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                }
                if (milliseconds is { } elapsed)
                {
                    times.Add(new FirstToken(promptTokens, elapsed));
                    await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"first token at {budget}: {promptTokens} prompt tokens, {elapsed / 1000:0.0} s"));
                }
            }
            results.Add((budget, times));
        }
        return results;
    }

    private static double Percentile(IEnumerable<double> values, double fraction) => BenchReport.Percentile(values.Order().ToArray(), fraction);

    private static string Json(string root, ContextEngine engine, LlamaCodeModel model, int threads, IReadOnlyList<Generated> questions,
        Dictionary<(int Budget, bool Bm25), RecallFigure> recall, List<(string Action, List<Assembly> Samples)> assembly, List<(int Budget, List<FirstToken> Times)> firstTokens)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("folder", root);
            writer.WriteNumber("files", engine.Status.FilesIndexed);
            writer.WriteString("model", model.Description.Name);
            writer.WriteNumber("threads", threads);
            writer.WriteNumber("questions", questions.Count);
            foreach (var (name, bm25) in new[] { ("chatRecall", false), ("chatRecallBm25", true) })
            {
                writer.WriteStartObject(name);
                foreach (var budget in s_budgets) writer.WriteNumber(budget.ToString(CultureInfo.InvariantCulture), Math.Round(recall[(budget, bm25)].All, 3));
                writer.WriteEndObject();
            }
            writer.WriteStartObject("recallByKind");
            foreach (var budget in s_budgets)
            {
                writer.WriteStartObject(budget.ToString(CultureInfo.InvariantCulture));
                foreach (var (name, bm25) in new[] { ("chat", false), ("bm25", true) })
                {
                    writer.WriteStartObject(name);
                    writer.WriteNumber("what", Math.Round(recall[(budget, bm25)].What, 3));
                    writer.WriteNumber("where", Math.Round(recall[(budget, bm25)].Where, 3));
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteStartObject("promptAssembly");
            foreach (var (action, samples) in assembly)
            {
                writer.WriteStartObject(action);
                writer.WriteNumber("samples", samples.Count);
                writer.WriteNumber("p50Ms", Math.Round(Percentile(samples.Select(s => s.Milliseconds), 0.5), 1));
                writer.WriteNumber("p95Ms", Math.Round(Percentile(samples.Select(s => s.Milliseconds), 0.95), 1));
                writer.WriteNumber("tokensP50", Math.Round(Percentile(samples.Select(s => (double)s.Tokens), 0.5)));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteStartObject("firstTokenMs");
            foreach (var (budget, times) in firstTokens)
            {
                writer.WriteStartObject(budget.ToString(CultureInfo.InvariantCulture));
                writer.WriteNumber("p50", Math.Round(Percentile(times.Select(t => t.Milliseconds), 0.5)));
                writer.WriteNumber("promptTokensP50", Math.Round(Percentile(times.Select(t => (double)t.PromptTokens), 0.5)));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
