using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CodeAssist.Bench;
using CodeAssist.Features.Commit;
using CodeAssist.Git;

namespace CodeAssist.Server.Cli;

/// <summary>
/// <c>codeassist bench commit [--repo DIR] [--count 200] [--window 8192] [--json]</c>: time to the commit-message prompt over
/// a repository's history, the share of changed public declarations the API summary names, and prompt against patch
/// tokens (4 characters a token). See docs/commit.md.
/// </summary>
internal static class BenchCommitCommand
{
    public static Command Create()
    {
        var repo = new Option<DirectoryInfo?>("--repo", "-r") { Description = "A repository with history (default: the current directory's)" };
        var count = new Option<int>("--count", "-n") { Description = "How many of the last commits (merges left out)", DefaultValueFactory = _ => 200 };
        var window = new Option<int>("--window") { Description = "The model window the prompt must fit, in tokens", DefaultValueFactory = _ => 8192 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("commit", "Commit messages over a repository's history: time to the prompt, API summary coverage, prompt size")
        {
            repo, count, window, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string path = parseResult.GetValue(repo)?.FullName ?? Environment.CurrentDirectory;
            int windowTokens = parseResult.GetValue(window);
            IReadOnlyList<CommitMeasurement> measurements;
            try
            {
                measurements = await CommitBenchmark.RunAsync(path, Math.Max(1, parseResult.GetValue(count)), windowTokens,
                    CommitMessageWriter.EstimateTokens, null, cancellationToken);
            }
            catch (GitException exception)
            {
                await error.WriteLineAsync($"codeassist bench commit: {exception.Message}");
                return 1;
            }
            var report = Report.From(path, windowTokens, measurements);
            await output.WriteLineAsync(parseResult.GetValue(json) ? report.ToJson() : report.Describe());
            return 0;
        });
        return command;
    }

    private sealed record Report(string Repository, int Window, int Commits, double P50, double P99, double Max, double CpuP50, int TwentyFileCommits,
        double TwentyFileP50, double TwentyFileCpuP50, int Declared, int Named, int Implied, int NotApi, long PromptTokens, long PatchTokens, int MaxPromptTokens, int OverWindow,
        IReadOnlyList<string> MissedExamples)
    {
        public static Report From(string repository, int window, IReadOnlyList<CommitMeasurement> measurements)
        {
            var times = measurements.Select(m => m.PromptMilliseconds).Order().ToArray();
            var twentyFiles = measurements.Where(m => m.Files is >= 15 and <= 25).ToArray();
            var twenty = twentyFiles.Select(m => m.PromptMilliseconds).Order().ToArray();
            return new Report(repository, window, measurements.Count,
                BenchReport.Percentile(times, 0.5), BenchReport.Percentile(times, 0.99), times.Length > 0 ? times[^1] : 0,
                BenchReport.Percentile(measurements.Select(m => m.PromptCpuMilliseconds).Order().ToArray(), 0.5),
                twenty.Length, BenchReport.Percentile(twenty, 0.5), BenchReport.Percentile(twentyFiles.Select(m => m.PromptCpuMilliseconds).Order().ToArray(), 0.5),
                measurements.Sum(m => m.DeclaredNames.Count), measurements.Sum(m => m.NamedNames.Count),
                measurements.Sum(m => m.ImpliedNames.Count), measurements.Sum(m => m.NotApiNames.Count),
                measurements.Sum(m => (long)m.PromptTokens), measurements.Sum(m => (long)m.PatchTokens),
                measurements.Count > 0 ? measurements.Max(m => m.PromptTokens) : 0,
                measurements.Count(m => m.PromptTokens > window),
                measurements.SelectMany(m => m.MissedNames.Select(name => $"{m.Commit[..10]} {name}")).Take(12).ToArray());
        }

        private double Coverage => Declared == 0 ? 1 : (double)Named / Declared;

        /// <summary>Named, among the declarations that are API and not implied by a listed type.</summary>
        private double CoverageOfApi => Declared - Implied - NotApi == 0 ? 1 : (double)Named / (Declared - Implied - NotApi);

        public string Describe() => string.Create(CultureInfo.InvariantCulture, $"""
            {Repository}: {Commits} commits (merges left out), window {Window} tokens
            time to the prompt: p50 {P50:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms (CPU p50 {CpuP50:0.0} ms); commits of 15-25 files: {TwentyFileCommits}, p50 {TwentyFileP50:0.0} ms (CPU {TwentyFileCpuP50:0.0} ms)
            public declarations changed on +/- lines named by the API summary: {Named} of {Declared} ({Coverage:P1}); of the rest, {Implied} are members of a type listed as added, removed or renamed and {NotApi} are not visible API (public members of internal types); named among the remaining API: {CoverageOfApi:P1}
            prompt tokens {PromptTokens} against patch tokens {PatchTokens} ({(PatchTokens == 0 ? 0 : (double)PromptTokens / PatchTokens):0.00}); largest prompt {MaxPromptTokens}; over the window: {OverWindow}
            missed (first {MissedExamples.Count}): {string.Join(", ", MissedExamples)}
            """);

        public string ToJson()
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteString("repository", Repository);
                writer.WriteNumber("window", Window);
                writer.WriteNumber("commits", Commits);
                writer.WriteNumber("promptP50Ms", Math.Round(P50, 2));
                writer.WriteNumber("promptP99Ms", Math.Round(P99, 2));
                writer.WriteNumber("promptMaxMs", Math.Round(Max, 2));
                writer.WriteNumber("promptCpuP50Ms", Math.Round(CpuP50, 2));
                writer.WriteNumber("twentyFileCommits", TwentyFileCommits);
                writer.WriteNumber("twentyFilePromptP50Ms", Math.Round(TwentyFileP50, 2));
                writer.WriteNumber("twentyFilePromptCpuP50Ms", Math.Round(TwentyFileCpuP50, 2));
                writer.WriteNumber("declarationsChanged", Declared);
                writer.WriteNumber("declarationsNamed", Named);
                writer.WriteNumber("coverage", Math.Round(Coverage, 4));
                writer.WriteNumber("impliedByListedType", Implied);
                writer.WriteNumber("notVisibleApi", NotApi);
                writer.WriteNumber("coverageOfRemainingApi", Math.Round(CoverageOfApi, 4));
                writer.WriteNumber("promptTokens", PromptTokens);
                writer.WriteNumber("patchTokens", PatchTokens);
                writer.WriteNumber("largestPromptTokens", MaxPromptTokens);
                writer.WriteNumber("promptsOverWindow", OverWindow);
                writer.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
