using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CodeAssist.Bench;

/// <summary>One row of the report: recall, all-hit share, violations and latency over a group of results.</summary>
public sealed record BenchSummary(string Repo, int Budget, int Tasks, double RecallLine, double RecallMember, double Recall,
    double AllHit, int Failures, int BudgetViolations, double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms);

/// <summary>Aggregates task results by repository and budget (and over all repositories), as text or JSON.</summary>
public sealed class BenchReport
{
    public const string AllRepos = "all repos";

    public BenchReport(IReadOnlyList<TaskResult> results)
    {
        Results = results;
        var repos = results.Select(r => r.Task.Repo).Distinct().Order(StringComparer.Ordinal).ToList();
        if (repos.Count > 1) repos.Add(AllRepos);
        Summaries = repos
            .SelectMany(repo => results.Select(r => r.Budget).Distinct().Order().Select(budget => Summarize(repo, budget,
                results.Where(r => r.Budget == budget && (repo == AllRepos || r.Task.Repo == repo)).ToList())))
            .ToList();
    }

    public IReadOnlyList<TaskResult> Results { get; }
    public IReadOnlyList<BenchSummary> Summaries { get; }

    private static BenchSummary Summarize(string repo, int budget, IReadOnlyList<TaskResult> results)
    {
        double Mean(IEnumerable<double> values) { var list = values.ToList(); return list.Count == 0 ? 0 : list.Average(); }
        var answered = results.Where(r => r.Error is null).Select(r => r.LatencyMs).Order().ToList();
        return new BenchSummary(repo, budget, results.Count,
            Mean(results.Where(r => r.Task.Kind == "line").Select(r => r.Recall)),
            Mean(results.Where(r => r.Task.Kind == "member").Select(r => r.Recall)),
            Mean(results.Select(r => r.Recall)),
            Mean(results.Select(r => r.AllHit ? 1.0 : 0.0)),
            results.Count(r => r.Error is not null),
            results.Count(r => r.OverBudget),
            Percentile(answered, 0.50), Percentile(answered, 0.95), Percentile(answered, 0.99));
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
        builder.AppendLine("| repo | budget | tasks | line | member | all | all-hit | failed | over budget | p50 ms | p95 ms | p99 ms |");
        builder.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Summaries)
        {
            builder.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Repo} | {s.Budget} | {s.Tasks} | {s.RecallLine:0.000} | {s.RecallMember:0.000} | {s.Recall:0.000} | {s.AllHit:0.000} | {s.Failures} | {s.BudgetViolations} | {s.LatencyP50Ms:0.0} | {s.LatencyP95Ms:0.0} | {s.LatencyP99Ms:0.0} |"));
        }
        return builder.ToString();
    }

    /// <summary>The summaries, and per task the recall at each budget and any error.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("summaries");
            foreach (var s in Summaries)
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
                json.WriteNumber("latencyP50Ms", Math.Round(s.LatencyP50Ms, 2));
                json.WriteNumber("latencyP95Ms", Math.Round(s.LatencyP95Ms, 2));
                json.WriteNumber("latencyP99Ms", Math.Round(s.LatencyP99Ms, 2));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("tasks");
            foreach (var r in Results)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Task.Id);
                json.WriteNumber("budget", r.Budget);
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
}
