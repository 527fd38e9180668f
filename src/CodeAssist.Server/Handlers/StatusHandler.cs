using System.Text.Json;
using CodeAssist.Context;
using CodeAssist.Features;
using CodeAssist.Features.Completion;
using CodeAssist.Models;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Handlers;

/// <summary><c>codeassist/status</c>: what the server is serving, for users and for clients' status bars.</summary>
public sealed class StatusHandler(WorkspaceIndex index, ModelHost model, CompletionService completion, ActionCounters actions)
{
    public const string Method = "codeassist/status";

    public Task<StatusResult> HandleAsync(StatusParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var snapshot = context.Snapshot;
        return Task.FromResult(new StatusResult(
            ServerVersion.Text,
            Environment.ProcessId,
            snapshot.Folders.Select(f => f.Uri).ToArray(),
            snapshot.Documents.Values
                .OrderBy(d => d.Uri, StringComparer.Ordinal)
                .Select(d => new OpenDocumentStatus(d.Uri, d.LanguageId, d.Version, d.Lines.LineCount, d.Text.Length))
                .ToArray(),
            new SettingsStatus(ServerSettings.LevelName(snapshot.Settings.LogLevel), snapshot.Settings.Exclude.ToArray(), snapshot.Settings.Model,
                snapshot.Settings.IndexCache),
            IndexReport(index.Status),
            ModelReport(model.State, model.Current),
            CompletionReport(snapshot.Settings.Completion, model.State),
            new ActionsStatus(actions.Requests, actions.GenerationsStarted, actions.GenerationsFinished, actions.GenerationsCancelled, actions.GenerationsFailed,
                actions.GeneratedTokens, actions.PromptTokens, actions.CompileChecks, actions.Repairs)));
    }

    private CompletionStatusReport CompletionReport(CompletionSettings settings, ModelState state)
    {
        var counts = completion.Counts;
        var overhead = completion.Overhead;
        return new CompletionStatusReport(settings.Enabled, state.Unavailable, counts.Requests, counts.Shown, counts.Accepted, counts.AcceptedCharacters,
            counts.PartiallyAccepted, counts.Cancelled, counts.AnsweredFromCache, counts.GenerationsStarted, counts.GenerationsFinished,
            counts.PromptTokens, counts.ReusedPromptTokens, counts.CompilerRejections, counts.Repaired,
            new OverheadReport(Math.Round(overhead.P50, 2), Math.Round(overhead.P99, 2), overhead.Samples));
    }

    private static ModelStatusReport ModelReport(ModelState state, ICodeModel? current) =>
        new(state.Status, state.Description?.Backend ?? ModelHost.Backend, state.Path, state.Description?.Name, state.Description?.ContextSize, state.Description?.FimFamily, state.Error,
            ModelHost.ChatTemplateOf(current));

    private static IndexStatusReport IndexReport(IndexStatus? status) => status is null
        ? new IndexStatusReport("notStarted", 0, 0, 0)
        : new IndexStatusReport(JsonNamingPolicy.CamelCase.ConvertName(status.State.ToString()), status.FilesIndexed, status.FilesSkipped, status.Lines);
}
