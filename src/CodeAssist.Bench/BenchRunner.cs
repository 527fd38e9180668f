using System.Diagnostics;

namespace CodeAssist.Bench;

/// <summary>
/// The outcome of one request: which needed declarations it hit, its size and how long it took. <see cref="First"/>:
/// the first request about the task's document, which the answerer has just opened. <see cref="Opening"/>: the same
/// document opened again and a request at budget 0, which reads nothing (the first request's floor).
/// </summary>
public sealed record TaskResult(BenchTask Task, int Budget, IReadOnlyList<bool> Hits, int Characters, double LatencyMs, string? Error, bool First = false,
    bool Opening = false)
{
    public double Recall => Hits.Count == 0 ? 0 : (double)Hits.Count(h => h) / Hits.Count;
    public bool AllHit => Hits.Count > 0 && Hits.All(h => h);

    /// <summary>The items' text over <c>budget × 4 × 1.1</c> characters.</summary>
    public bool OverBudget => Characters > Budget * 4 * 1.1;
}

/// <summary>Runs tasks through a <see cref="ContextAnswerer"/> and scores every answer; a failed request scores 0.</summary>
public static class BenchRunner
{
    public static readonly IReadOnlyList<int> DefaultBudgets = [1024, 2048, 4096];
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Asks for every task at every budget, in task order, one request at a time. With <paramref name="firstBudget"/>,
    /// each task's first request is an extra one at that budget, reported as the first query in a newly opened file
    /// (<see cref="BenchReport.FirstQuery"/>) and apart from the budget rows, which then measure repeated queries; and
    /// after those, the document opened again with a request at budget 0 times the opening alone (<see cref="BenchReport.Openings"/>).
    /// </summary>
    public static async Task<BenchReport> RunAsync(IReadOnlyList<BenchTask> tasks, string corpusDirectory, IReadOnlyList<int> budgets,
        ContextAnswerer answerer, IProgress<TaskResult>? progress, CancellationToken cancellationToken, int? firstBudget = null)
    {
        var results = new List<TaskResult>();
        foreach (var task in tasks)
        {
            string document = TaskDocument.Create(task, corpusDirectory);
            if (firstBudget is int first)
            {
                var result = await RunOneAsync(task, document, corpusDirectory, first, answerer, cancellationToken).ConfigureAwait(false) with { First = true };
                results.Add(result);
                progress?.Report(result);
            }
            foreach (int budget in budgets)
            {
                var result = await RunOneAsync(task, document, corpusDirectory, budget, answerer, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                progress?.Report(result);
            }
            if (firstBudget is not null)
                results.Add(await RunOneAsync(task, document, corpusDirectory, 0, answerer, cancellationToken).ConfigureAwait(false) with { Opening = true });
        }
        return new BenchReport(results);
    }

    private static async Task<TaskResult> RunOneAsync(BenchTask task, string document, string corpusDirectory, int budget,
        ContextAnswerer answerer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var stopwatch = Stopwatch.StartNew();
        ContextAnswer answer;
        try
        {
            answer = await answerer(task, document, budget, timeout.Token).WaitAsync(RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new TaskResult(task, budget, task.Needed.Select(_ => false).ToArray(), 0, stopwatch.Elapsed.TotalMilliseconds,
                e is TimeoutException or OperationCanceledException ? "no answer within 10 s" : e.Message);
        }
        double latency = stopwatch.Elapsed.TotalMilliseconds;
        if (answer?.Items is null || answer.Items.Any(i => i?.Text is null || i.Location is null))
            return new TaskResult(task, budget, task.Needed.Select(_ => false).ToArray(), 0, latency, "malformed answer");
        var hits = HitRule.Score(task, corpusDirectory, answer);
        return new TaskResult(task, budget, hits, answer.Items.Sum(i => i.Text.Length), latency, null);
    }

    /// <summary>The Jaccard baseline as an answerer, one index per repository, built on first use.</summary>
    public static ContextAnswerer JaccardAnswerer(string corpusDirectory)
    {
        var baselines = new Dictionary<string, JaccardBaseline>(StringComparer.Ordinal);
        return (task, documentText, budget, _) =>
        {
            if (!baselines.TryGetValue(task.Repo, out var baseline))
                baselines[task.Repo] = baseline = JaccardBaseline.Build(task.RepositoryPath(corpusDirectory));
            return Task.FromResult(baseline.Answer(task, documentText, budget));
        };
    }
}
