using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CodeAssist.Bench;

/// <summary>One row of the report: recall, all-hit share, violations and latency over a group of results.</summary>
public sealed record BenchSummary(string Repo, int Budget, int Tasks, double RecallLine, double RecallMember, double Recall,
    double AllHit, int Failures, int BudgetViolations, double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms);

/// <summary>Latency percentiles of a group of requests that retrieve nothing.</summary>
public sealed record LatencySummary(string Repo, int Requests, double P50Ms, double P95Ms, double P99Ms);

/// <summary>Aggregates task results by repository and budget (and over all repositories), as text or JSON.</summary>
public sealed class BenchReport
{
    public const string AllRepos = "all repos";

    public BenchReport(IReadOnlyList<TaskResult> results)
    {
        Results = results;
        var repos = results.Select(r => r.Task.Repo).Distinct().Order(StringComparer.Ordinal).ToList();
        if (repos.Count > 1) repos.Add(AllRepos);
        var repeated = results.Where(r => !r.First && !r.Opening).ToList();
        Summaries = repos
            .SelectMany(repo => repeated.Select(r => r.Budget).Distinct().Order().Select(budget => Summarize(repo, budget,
                repeated.Where(r => r.Budget == budget && (repo == AllRepos || r.Task.Repo == repo)).ToList())))
            .ToList();
        var first = results.Where(r => r.First).ToList();
        // The run's first request per repository is the first answer after the server's start, a figure of its own
        // (mostly the JIT's): its latency is left out of the first-query row, its recall is not.
        var starts = results.GroupBy(r => r.Task.Repo).Select(g => g.First()).ToHashSet<TaskResult>(ReferenceEqualityComparer.Instance);
        FirstQuery = first.Count == 0 ? [] : repos
            .Select(repo => Summarize(repo, first[0].Budget, first.Where(r => repo == AllRepos || r.Task.Repo == repo).ToList(), starts))
            .ToList();
        var openings = results.Where(r => r.Opening && r.Error is null).ToList();
        Openings = openings.Count == 0 ? [] : repos.Select(repo => Latencies(repo, openings.Where(r => repo == AllRepos || r.Task.Repo == repo))).ToList();
        FirstAnswers = results.GroupBy(r => r.Task.Repo).Select(g => (g.Key, g.First().LatencyMs)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<TaskResult> Results { get; }

    /// <summary>By repository and budget: repeated queries when the run also measured first ones.</summary>
    public IReadOnlyList<BenchSummary> Summaries { get; }

    /// <summary>By repository: each task's first request, right after its document was opened (latency without the
    /// server's first answer, <see cref="FirstAnswers"/>); empty when not measured.</summary>
    public IReadOnlyList<BenchSummary> FirstQuery { get; }

    /// <summary>
    /// By repository: the task's document opened again and a request at budget 0, which reads nothing: what the first
    /// query costs before it retrieves anything (the JSON of the document, the server taking it in); empty when not measured.
    /// </summary>
    public IReadOnlyList<LatencySummary> Openings { get; }

    /// <summary>
    /// By repository, the latency of the first request of the run, which for a server started per repository is the
    /// first answer after its start (once indexed): the JIT's share shows there.
    /// </summary>
    public IReadOnlyList<(string Repo, double LatencyMs)> FirstAnswers { get; }

    /// <param name="untimed">Results whose latency is not counted.</param>
    private static BenchSummary Summarize(string repo, int budget, IReadOnlyList<TaskResult> results, IReadOnlySet<TaskResult>? untimed = null)
    {
        double Mean(IEnumerable<double> values) { var list = values.ToList(); return list.Count == 0 ? 0 : list.Average(); }
        var answered = results.Where(r => r.Error is null && untimed?.Contains(r) != true).Select(r => r.LatencyMs).Order().ToList();
        return new BenchSummary(repo, budget, results.Count,
            Mean(results.Where(r => r.Task.Kind == "line").Select(r => r.Recall)),
            Mean(results.Where(r => r.Task.Kind == "member").Select(r => r.Recall)),
            Mean(results.Select(r => r.Recall)),
            Mean(results.Select(r => r.AllHit ? 1.0 : 0.0)),
            results.Count(r => r.Error is not null),
            results.Count(r => r.OverBudget),
            Percentile(answered, 0.50), Percentile(answered, 0.95), Percentile(answered, 0.99));
    }

    private static LatencySummary Latencies(string repo, IEnumerable<TaskResult> results)
    {
        var sorted = results.Select(r => r.LatencyMs).Order().ToList();
        return new LatencySummary(repo, sorted.Count, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99));
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        if (sorted.Count == 0) return 0;
        int rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public string ToText()
    {
        var builder = new StringBuilder();
        AppendTable(builder, Summaries);
        if (FirstQuery.Count > 0)
        {
            builder.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"First query in a newly opened file (the document just opened, then one request at {FirstQuery[0].Budget}):"));
            AppendTable(builder, FirstQuery);
        }
        if (Openings.Count > 0)
        {
            builder.AppendLine().AppendLine("The same document opened again, then a request at budget 0, which reads nothing:");
            builder.AppendLine("| repo | requests | p50 ms | p95 ms | p99 ms |");
            builder.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var o in Openings)
                builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {o.Repo} | {o.Requests} | {o.P50Ms:0.0} | {o.P95Ms:0.0} | {o.P99Ms:0.0} |"));
        }
        return builder.ToString();
    }

    private static void AppendTable(StringBuilder builder, IReadOnlyList<BenchSummary> summaries)
    {
        builder.AppendLine("| repo | budget | tasks | line | member | all | all-hit | failed | over budget | p50 ms | p95 ms | p99 ms |");
        builder.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in summaries)
        {
            builder.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Repo} | {s.Budget} | {s.Tasks} | {s.RecallLine:0.000} | {s.RecallMember:0.000} | {s.Recall:0.000} | {s.AllHit:0.000} | {s.Failures} | {s.BudgetViolations} | {s.LatencyP50Ms:0.0} | {s.LatencyP95Ms:0.0} | {s.LatencyP99Ms:0.0} |"));
        }
    }

    /// <summary>The summaries, and per task the recall at each budget and any error.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteSummaries(json, "summaries", Summaries);
            WriteSummaries(json, "firstQuery", FirstQuery);
            json.WriteStartArray("opening");
            foreach (var o in Openings)
            {
                json.WriteStartObject();
                json.WriteString("repo", o.Repo);
                json.WriteNumber("requests", o.Requests);
                WriteLatencies(json, o.P50Ms, o.P95Ms, o.P99Ms);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("firstAnswerMs");
            foreach (var (repo, latency) in FirstAnswers)
            {
                json.WriteStartObject();
                json.WriteString("repo", repo);
                json.WriteNumber("latencyMs", Math.Round(latency, 2));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("tasks");
            foreach (var r in Results)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Task.Id);
                json.WriteNumber("budget", r.Budget);
                if (r.First) json.WriteBoolean("first", true);
                if (r.Opening) json.WriteBoolean("opening", true);
                json.WriteNumber("recall", Math.Round(r.Recall, 4));
                json.WriteNumber("characters", r.Characters);
                json.WriteNumber("latencyMs", Math.Round(r.LatencyMs, 2));
                if (r.Error is not null) json.WriteString("error", r.Error);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteSummaries(Utf8JsonWriter json, string name, IReadOnlyList<BenchSummary> summaries)
    {
        json.WriteStartArray(name);
        foreach (var s in summaries)
        {
            json.WriteStartObject();
            json.WriteString("repo", s.Repo);
            json.WriteNumber("budget", s.Budget);
            json.WriteNumber("tasks", s.Tasks);
            json.WriteNumber("recallLine", Math.Round(s.RecallLine, 4));
            json.WriteNumber("recallMember", Math.Round(s.RecallMember, 4));
            json.WriteNumber("recall", Math.Round(s.Recall, 4));
            json.WriteNumber("allHit", Math.Round(s.AllHit, 4));
            json.WriteNumber("failures", s.Failures);
            json.WriteNumber("budgetViolations", s.BudgetViolations);
            WriteLatencies(json, s.LatencyP50Ms, s.LatencyP95Ms, s.LatencyP99Ms);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteLatencies(Utf8JsonWriter json, double p50, double p95, double p99)
    {
        json.WriteNumber("latencyP50Ms", Math.Round(p50, 2));
        json.WriteNumber("latencyP95Ms", Math.Round(p95, 2));
        json.WriteNumber("latencyP99Ms", Math.Round(p99, 2));
    }
}
