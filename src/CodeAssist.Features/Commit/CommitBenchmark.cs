using System.Diagnostics;
using CodeAssist.Features.Prompts;
using CodeAssist.Git;

namespace CodeAssist.Features.Commit;

/// <summary>
/// One commit of the benchmark: its size, the time to its prompt (wall clock, and this process's CPU time, which leaves
/// out git's own processes), and how much of its API change the summary names.
/// Of the names it does not name, <see cref="ImpliedNames"/> are members of a type the summary lists as added, removed or
/// renamed, and <see cref="NotApiNames"/> are not visible declarations in either version (a public member of an internal
/// type, text that only looks like a declaration); the rest were missed.
/// </summary>
public sealed record CommitMeasurement(string Commit, int Files, double PromptMilliseconds, double PromptCpuMilliseconds, int PromptTokens, int PatchTokens,
    IReadOnlyList<string> DeclaredNames, IReadOnlyList<string> NamedNames, IReadOnlyList<string> ImpliedNames, IReadOnlyList<string> NotApiNames)
{
    public IEnumerable<string> MissedNames => DeclaredNames.Except(NamedNames).Except(ImpliedNames).Except(NotApiNames);
}

/// <summary>
/// <c>codeassist bench commit</c>: over the last commits of a repository with history, what a commit-message request
/// costs up to the model: opening the repository, reading the commit's changes and patch, the API comparison, the style
/// and the packed prompt — timed per commit — plus the share of the visible declarations changed on the patch's
/// <c>+</c>/<c>-</c> lines (found by <see cref="PatchDeclarations"/>, independently of Roslyn) that the API summary names,
/// and prompt tokens against the raw patch's.
/// </summary>
public static class CommitBenchmark
{
    public static async Task<IReadOnlyList<CommitMeasurement>> RunAsync(string repositoryPath, int count, int window, Func<string, int> countTokens,
        IProgress<CommitMeasurement>? progress, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> commits;
        using (var repository = await GitRepository.OpenAsync(repositoryPath, GitOptions.Default, cancellationToken))
        {
            commits = await repository.RecentCommitIdsAsync(count, cancellationToken);
        }
        var options = new CommitOptions { WindowTokens = window };
        if (commits.Count > 0)
        {
            // One unmeasured pass, so the first measurement is not the JIT's.
            await MeasureAsync(repositoryPath, commits[0], window, countTokens, options, cancellationToken);
        }
        var measurements = new List<CommitMeasurement>();
        foreach (var commit in commits)
        {
            var measurement = await MeasureAsync(repositoryPath, commit, window, countTokens, options, cancellationToken);
            measurements.Add(measurement);
            progress?.Report(measurement);
        }
        return measurements;
    }

    private static async Task<CommitMeasurement> MeasureAsync(string repositoryPath, string commit, int window, Func<string, int> countTokens,
        CommitOptions options, CancellationToken cancellationToken)
    {
        // CPU time of this process beside wall time: on a loaded machine the wall clock mostly measures the wait for a core.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        using var repository = await GitRepository.OpenAsync(repositoryPath, options.Git, cancellationToken);
        var changes = await repository.CommitChangesAsync(commit, cancellationToken);
        var prompt = await CommitMessageWriter.PrepareAsync(repository, changes, PromptLibrary.BuiltIn, null, window, countTokens, options, cancellationToken);
        double milliseconds = stopwatch.Elapsed.TotalMilliseconds;
        double cpuMilliseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;

        var declared = UnifiedDiff.Parse(changes.Patch)
            .Where(f => PathConventions.IsCSharp(f.Path) && !PathConventions.IsTest(f.Path) && !PathConventions.IsGenerated(f.Path))
            .SelectMany(PatchDeclarations.Find)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var named = declared.Where(name => PatchDeclarations.IsNamed(name, prompt.ApiChanges)).ToArray();

        // Explaining what was not named (outside the timed part): Roslyn's view of both versions.
        var visible = await VisibleDeclarationsAsync(repository, changes, cancellationToken);
        var typesListed = prompt.ApiChanges.Where(c => c.Kind is ApiChangeKind.Added or ApiChangeKind.Removed or ApiChangeKind.Renamed)
            .SelectMany(c => new[] { c.Symbol, c.OldSymbol }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unnamed = declared.Except(named).ToArray();
        var notApi = unnamed.Where(name => !visible.Any(d => d.Name == name)).ToArray();
        var implied = unnamed.Except(notApi)
            .Where(name => visible.Where(d => d.Name == name).All(d => typesListed.Any(t => d.Container == t || d.Container.StartsWith(t + ".", StringComparison.Ordinal))))
            .ToArray();
        return new CommitMeasurement(commit, changes.Files.Count, milliseconds, cpuMilliseconds, prompt.Tokens, prompt.PatchTokens, declared, named, implied, notApi);
    }

    private static async Task<List<ApiDeclaration>> VisibleDeclarationsAsync(GitRepository repository, ChangeSet changes, CancellationToken cancellationToken)
    {
        var files = changes.Files.Where(f => PathConventions.IsCSharp(f.Path)).ToArray();
        var blobs = await repository.ReadBlobsAsync(files.SelectMany(f => new[] { f.OldBlob, f.NewBlob }).OfType<string>(), cancellationToken);
        var declarations = new List<ApiDeclaration>();
        foreach (var bytes in blobs.Values.Where(b => b.Length <= ApiChanges.MaxParsedBytes))
        {
            declarations.AddRange(ApiDeclarations.Of(System.Text.Encoding.UTF8.GetString(bytes), cancellationToken));
        }
        return declarations;
    }
}
