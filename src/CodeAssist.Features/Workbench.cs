using CodeAssist.Context;
using CodeAssist.Features.Prompts;
using CodeAssist.Models;

namespace CodeAssist.Features;

/// <summary>
/// What a feature works with for one request: the workspace's context engine, the model, the prompt templates, and the
/// counters the server reports. The server builds one per request from what is current, so a feature never sees the
/// engine or the model change under it.
/// </summary>
public sealed record Workbench(ContextEngine Engine, ICodeModel Model, PromptLibrary Prompts)
{
    public ActionCounters Counters { get; init; } = new();

    /// <summary>The most tokens an answer may take (chat, explain, tests, translation); a documentation comment takes at most 256.</summary>
    public int MaxAnswerTokens { get; init; } = 1024;

    /// <summary>
    /// Sampling temperature of answers; a little by default, since greedy decoding loops on prose. The seed is fixed, so
    /// the same prompt gets the same answer.
    /// </summary>
    public float Temperature { get; init; } = 0.2f;

    /// <summary>Sees every prompt before the model does (task, messages): the server's prompt log in test mode.</summary>
    public Action<string, IReadOnlyList<ChatMessage>>? PromptObserver { get; init; }

    /// <summary>The workspace folders: prompts name files relative to them, and the repository by their names.</summary>
    public IReadOnlyList<string> WorkspaceFolders { get; init; } = [];

    internal string RepositoryName => WorkspaceFolders.Count == 0 ? "current" : string.Join(", ", WorkspaceFolders.Select(System.IO.Path.GetFileName));

    /// <summary>The prompt template of a task for this model's family.</summary>
    internal PromptTemplate Template(string task) => Prompts.Get(task, Model.Description.FimFamily);
}

/// <summary>
/// What the assistant features did since the server started, for <c>codeassist/status</c>: every generation started ends as
/// finished, cancelled or failed, and <see cref="GeneratedTokens"/> grows while one runs, so a test can see that a
/// cancelled generation stopped. Thread-safe.
/// </summary>
public sealed class ActionCounters
{
    private long _requests, _started, _finished, _cancelled, _failed, _generatedTokens, _promptTokens, _compileChecks, _repairs;

    public long Requests => Interlocked.Read(ref _requests);
    public long GenerationsStarted => Interlocked.Read(ref _started);
    public long GenerationsFinished => Interlocked.Read(ref _finished);
    public long GenerationsCancelled => Interlocked.Read(ref _cancelled);
    public long GenerationsFailed => Interlocked.Read(ref _failed);
    public long GeneratedTokens => Interlocked.Read(ref _generatedTokens);
    public long PromptTokens => Interlocked.Read(ref _promptTokens);
    public long CompileChecks => Interlocked.Read(ref _compileChecks);
    public long Repairs => Interlocked.Read(ref _repairs);

    internal void Request() => Interlocked.Increment(ref _requests);
    internal void Started() => Interlocked.Increment(ref _started);
    internal void Finished() => Interlocked.Increment(ref _finished);
    internal void Cancelled() => Interlocked.Increment(ref _cancelled);
    internal void Failed() => Interlocked.Increment(ref _failed);
    internal void Generated(int tokens) => Interlocked.Add(ref _generatedTokens, tokens);
    internal void Prompt(int tokens) => Interlocked.Add(ref _promptTokens, tokens);
    internal void CompileCheck() => Interlocked.Increment(ref _compileChecks);
    internal void Repair() => Interlocked.Increment(ref _repairs);
}

/// <summary>
/// A request a feature cannot serve as asked, in words saying what to do (an empty selection, a language the translator
/// does not know, a secret-looking document, a question longer than the model's window). The server answers it as
/// RequestFailed; anything else a feature throws is a bug.
/// </summary>
public sealed class FeatureException(string message) : Exception(message);
