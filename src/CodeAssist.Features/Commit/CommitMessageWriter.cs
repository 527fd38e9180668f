using System.Text;
using CodeAssist.Context;
using CodeAssist.Features.Prompts;
using CodeAssist.Git;
using CodeAssist.Models;

namespace CodeAssist.Features.Commit;

public sealed record CommitOptions
{
    /// <summary>The <c>exclude</c> setting: globs, relative to the repository root, never read into a prompt.</summary>
    public IReadOnlyList<string> ExcludeGlobs { get; init; } = [];

    public GitOptions Git { get; init; } = GitOptions.Default;

    /// <summary>The window a prompt must fit when no model says its own.</summary>
    public int WindowTokens { get; init; } = 8192;

    /// <summary>What the answer may take of the window.</summary>
    public int AnswerTokens { get; init; } = 256;

    /// <summary>Why there is no model, for the notes when the caller passes none (still loading, failed to load).</summary>
    public string NoModelReason { get; init; } = "No model is configured";
}

/// <summary>
/// A commit message: <see cref="Source"/> says which changes it describes; <see cref="FromModel"/> is false when the
/// subject was written from the API changes (no model, or its answer was unusable).
/// </summary>
public sealed record CommitMessage(string Subject, string Body, ChangeSource Source, IReadOnlyList<ApiChange> ApiChanges,
    IReadOnlyList<string> Notes, bool FromModel, int PromptTokens);

/// <summary>
/// The prompt for one change set. <see cref="Tokens"/> counts the rendered messages; <see cref="PatchTokens"/> the raw
/// patch, for the benchmark's ratio.
/// </summary>
public sealed record CommitPrompt(IReadOnlyList<ChatMessage> Messages, int Tokens, int PatchTokens, IReadOnlyList<ApiChange> ApiChanges,
    CommitStyle Style, IReadOnlyList<string> Notes);

/// <summary>Nothing to describe, worded as what to do. No model was asked.</summary>
public sealed class CommitMessageException(string message) : Exception(message);

/// <summary>
/// Writes the message for what a repository is about to commit: the staged changes, or the unstaged ones when nothing
/// is staged (and the notes say so). The prompt gets the repository's style, the API changes first, then the patch
/// packed to the window, with lock files, generated files and anything secret or excluded left out; the model's answer
/// is used only when it reads as a commit message, else the subject is written from the API changes.
/// </summary>
public static class CommitMessageWriter
{
    public const int StyleSubjects = 50;

    /// <exception cref="GitException">Not a repository, or one that cannot be read (the message says what to do).</exception>
    /// <exception cref="CommitMessageException">Nothing changed at all.</exception>
    public static async Task<CommitMessage> WriteAsync(string path, ICodeModel? model, PromptLibrary prompts, CommitOptions options,
        CancellationToken cancellationToken)
    {
        using var repository = await GitRepository.OpenAsync(path, options.Git, cancellationToken);
        var notes = new List<string>();
        var changes = await repository.StagedChangesAsync(cancellationToken);
        if (changes.IsEmpty && repository.State.Operation != GitOperation.Merge)
        {
            changes = await repository.UnstagedChangesAsync(cancellationToken);
            int untracked = await repository.CountUntrackedAsync(cancellationToken);
            if (changes.IsEmpty)
            {
                throw new CommitMessageException(untracked > 0
                    ? $"Nothing to commit in {repository.Root}: only {untracked} untracked file(s); git add what you want to commit."
                    : $"Nothing to commit in {repository.Root}: no staged or unstaged changes.");
            }
            notes.Add("Nothing was staged: the message describes the unstaged changes to tracked files (git commit -a commits them).");
            if (untracked > 0) notes.Add($"{untracked} untracked file(s) are not included.");
        }
        var conflicted = changes.Files.Where(f => f.Kind == FileChangeKind.Conflicted).Select(f => f.Path).ToArray();
        if (conflicted.Length > 0)
        {
            notes.Add($"{conflicted.Length} file(s) still have conflicts; resolve and stage them before committing: {string.Join(", ", conflicted.Take(10))}.");
        }

        int window = model?.Description.ContextSize is > 0 and var size ? size : options.WindowTokens;
        Func<string, int> countTokens = model is null ? EstimateTokens : model.CountTokens;
        var prompt = await PrepareAsync(repository, changes, prompts, model?.Description.FimFamily, window, countTokens, options, cancellationToken);
        notes.AddRange(prompt.Notes);

        string? mergeSubject = repository.State.Operation == GitOperation.Merge ? MergeSubject(repository.GitDirectory) : null;
        if (mergeSubject is not null)
        {
            notes.Add("A merge is in progress: the subject is git's own merge message.");
        }

        (string Subject, string Body)? answer = null;
        if (model is not null && !changes.IsEmpty)
        {
            try
            {
                answer = CommitAnswer.Parse(await AskAsync(model, prompt, options, cancellationToken), prompt.Style);
                if (answer is null) notes.Add("The model's answer did not read as a commit message: the subject was written from the changes.");
            }
            catch (ModelException exception)
            {
                notes.Add($"The model failed ({exception.Message}): the subject was written from the changes.");
            }
        }
        else if (model is null)
        {
            notes.Add($"{options.NoModelReason}: the message was written from the changes.");
        }

        var fallback = FallbackMessage.Write(prompt.ApiChanges, changes.Files, prompt.Style);
        string subject = mergeSubject ?? answer?.Subject ?? fallback.Subject;
        string body = answer is { Body.Length: > 0 } ? answer.Value.Body : fallback.Body;
        return new CommitMessage(subject, body, changes.Source, prompt.ApiChanges, notes, answer is not null, prompt.Tokens);
    }

    /// <summary>
    /// The prompt for <paramref name="changes"/>, within <paramref name="window"/> tokens less the answer's share. Also what
    /// the benchmark times: everything from the opened repository to the rendered messages.
    /// </summary>
    public static async Task<CommitPrompt> PrepareAsync(GitRepository repository, ChangeSet changes, PromptLibrary prompts, string? family,
        int window, Func<string, int> countTokens, CommitOptions options, CancellationToken cancellationToken)
    {
        var policy = new FilePolicy(repository.Root, options.ExcludeGlobs);
        var diffFiles = UnifiedDiff.Parse(changes.Patch);
        var leftOut = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in changes.Files)
        {
            if ((LeftOutReason(file.Path, policy) ?? (file.OldPath is null ? null : LeftOutReason(file.OldPath, policy))) is { } reason)
            {
                leftOut[file.Path] = reason;
            }
        }
        foreach (var diff in diffFiles)
        {
            if (leftOut.ContainsKey(diff.Path)) continue;
            var added = diff.Hunks.SelectMany(h => h.Lines).Where(l => l.StartsWith('+')).Take(10).Select(l => l[1..]);
            if (PathConventions.HasGeneratedMarker(added)) leftOut[diff.Path] = "generated";
            else if (diff.Hunks.Any(h => FilePolicy.ContainsPrivateKey(string.Join("\n", h.Lines)))) leftOut[diff.Path] = "contains a private key";
        }

        var apiChanges = await ApiChanges.CollectAsync(repository, changes, path => !leftOut.ContainsKey(path) && policy.Refusal(path) is null, cancellationToken);
        var subjects = await repository.RecentSubjectsAsync(StyleSubjects, cancellationToken);
        var style = CommitStyle.From(subjects);
        var template = prompts.Get("commit", family);

        var shown = diffFiles.Where(d => !leftOut.ContainsKey(d.Path)).ToArray();
        var counts = diffFiles.ToDictionary(d => d.Path, d => (d.AddedLines, d.RemovedLines, d.IsBinary), StringComparer.Ordinal);
        var variables = new Dictionary<string, object?>
        {
            ["style"] = style.Describe(),
            ["examples"] = style.Examples,
            ["branch"] = repository.State.Branch ?? "",
            ["operation"] = repository.State.Operation == GitOperation.None ? "" : OperationName(repository.State.Operation),
            ["source"] = changes.Source == ChangeSource.Unstaged ? "unstaged" : "staged",
            ["apiChanges"] = apiChanges.Where(c => !leftOut.ContainsKey(c.File)).Select(Line).ToArray(),
            ["files"] = changes.Files.Where(f => !leftOut.ContainsKey(f.Path)).Select(f => FileLine(f, counts)).ToArray(),
            ["omitted"] = Omitted(leftOut),
            ["diff"] = "",
        };

        // What the answer, the template and the chat template's own tokens leave for the diff.
        int fixedTokens = template.Render(variables).Sum(m => countTokens(m.Content) + 8);
        int budget = Math.Max(0, window - options.AnswerTokens - fixedTokens - 32);
        var notes = new List<string>(repository.Notes.Concat(changes.Notes).Distinct());
        IReadOnlyList<ChatMessage> messages;
        int tokens;
        DiffPacking.Result packed;
        while (true)
        {
            packed = DiffPacking.Pack(shown, budget, countTokens);
            variables["diff"] = packed.Text;
            messages = template.Render(variables);
            tokens = messages.Sum(m => countTokens(m.Content) + 8);
            // Token counts of parts add up to about the whole; shrink by the overshoot in the rare case they do not.
            if (tokens <= window - options.AnswerTokens || budget == 0) break;
            budget = Math.Max(0, budget - (tokens - (window - options.AnswerTokens)) - 16);
        }
        if (packed.HunksCut + packed.FilesSummarized + packed.FilesDropped > 0)
        {
            notes.Add($"The diff did not fit the model's window: {packed.HunksCut} hunk(s) and {packed.FilesSummarized + packed.FilesDropped} file(s) were summarised.");
        }
        if (leftOut.Count > 0)
        {
            notes.Add("Left out of the prompt: " + string.Join(", ", leftOut.Select(pair => $"{pair.Key} ({pair.Value})")) + ".");
        }
        return new CommitPrompt(messages, tokens, countTokens(Encoding.UTF8.GetString(changes.Patch)), apiChanges, style, notes);
    }

    /// <summary>Without a model's tokenizer: 4 characters a token, the estimate the context engine uses.</summary>
    public static int EstimateTokens(string text) => (text.Length + 3) / 4;

    private static string? LeftOutReason(string path, FilePolicy policy) =>
        policy.Refusal(path) is { } refusal ? refusal
        : PathConventions.IsLockFile(path) ? "lock file"
        : PathConventions.IsGenerated(path) ? "generated"
        : null;

    private static string Omitted(Dictionary<string, string> leftOut)
    {
        if (leftOut.Count == 0) return "";
        var reasons = leftOut.Values.GroupBy(r => r switch
            {
                "lock file" => "lock file",
                "generated" => "generated file",
                _ => "file excluded by the user or that may hold secrets",
            })
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? $"1 {g.Key}" : $"{g.Count()} {g.Key.Replace("file", "files")}");
        return $"Left out (not shown here): {string.Join(", ", reasons)}.";
    }

    private static string Line(ApiChange change) => change.Kind switch
    {
        ApiChangeKind.Renamed => $"renamed {change.OldSymbol} to {change.Symbol} in {change.File}",
        ApiChangeKind.SignatureChanged when change.OldSymbol is not null => $"signature changed from {change.OldSymbol} to {change.Symbol} in {change.File}",
        ApiChangeKind.SignatureChanged => $"signature changed: {change.Symbol} in {change.File}",
        ApiChangeKind.Added => $"added {change.Symbol} in {change.File}",
        ApiChangeKind.Removed => $"removed {change.Symbol} from {change.File}",
        ApiChangeKind.FileAdded => $"new file {change.File}",
        ApiChangeKind.FileDeleted => $"deleted file {change.File}",
        _ => $"tests changed: {change.Symbol} in {change.File}",
    };

    private static string FileLine(FileChange file, Dictionary<string, (int Added, int Removed, bool Binary)> counts)
    {
        string status = file.Kind switch
        {
            FileChangeKind.Added => "added",
            FileChangeKind.Deleted => "deleted",
            FileChangeKind.Renamed => $"renamed from {file.OldPath}",
            FileChangeKind.Copied => $"copied from {file.OldPath}",
            FileChangeKind.Conflicted => "conflicted",
            _ => "modified",
        };
        string lines = counts.TryGetValue(file.Path, out var count) ? count.Binary ? ", binary" : $", +{count.Added} -{count.Removed}" : "";
        return $"{file.Path} ({status}{lines})";
    }

    private static string OperationName(GitOperation operation) => operation switch
    {
        GitOperation.CherryPick => "cherry-pick",
        _ => operation.ToString().ToLowerInvariant(),
    };

    private static async Task<string> AskAsync(ICodeModel model, CommitPrompt prompt, CommitOptions options, CancellationToken cancellationToken)
    {
        var answer = new StringBuilder();
        // Two blank lines end a message: what a chatty model adds after them is commentary, not body.
        var request = new ChatRequest { Messages = prompt.Messages, MaxTokens = options.AnswerTokens, StopSequences = ["\n\n\n"] };
        await foreach (var chunk in model.ChatAsync(request, cancellationToken))
        {
            answer.Append(chunk.Text);
        }
        return answer.ToString();
    }

    /// <summary>The first line git prepared for the merge commit (<c>.git/MERGE_MSG</c>), or null.</summary>
    private static string? MergeSubject(string gitDirectory)
    {
        try
        {
            string file = Path.Combine(gitDirectory, "MERGE_MSG");
            return File.Exists(file) ? File.ReadLines(file).FirstOrDefault(line => line.Trim().Length > 0 && !line.StartsWith('#'))?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
