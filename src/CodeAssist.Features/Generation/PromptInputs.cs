using CodeAssist.Context;
using CodeAssist.Models;

namespace CodeAssist.Features.Generation;

/// <summary>
/// The checks every input passes before any of it reaches a prompt, and the shapes templates receive. Nothing excluded or
/// secret-looking may reach a model: the document a selection comes from must be one the workspace's policy lets through,
/// and no text the user gives may hold a private key.
/// </summary>
internal static class PromptInputs
{
    // A token is rarely longer than this many characters: a selection longer than the window times this is surely too long,
    // which spares tokenizing megabytes to say so.
    private const int MaxCharactersPerToken = 16;

    /// <summary>A selection a prompt may show whole: not blank, from a document the policy allows, and small enough for the window.</summary>
    public static void CheckSelection(Workbench bench, CodeSelection selection, PromptBudget budget, string action)
    {
        if (selection.IsBlank) throw new FeatureException($"The selection is empty: select the code to {action}.");
        CheckDocument(bench, selection.Path);
        CheckText(selection.Text, "The selection");
        if (selection.Text.Length > (long)budget.PromptLimit * MaxCharactersPerToken)
            throw new FeatureException($"The selection ({selection.Text.Length:N0} characters) is far larger than the model's window of {budget.Window:N0} tokens: select less.");
        int tokens = bench.Model.CountTokens(selection.Text);
        if (tokens > budget.PromptLimit)
            throw new FeatureException($"The selection is {tokens:N0} tokens; the model's window of {budget.Window:N0} tokens leaves {budget.PromptLimit:N0} for the prompt: select less.");
    }

    /// <summary>Whether a document may be shown to a model at all.</summary>
    public static void CheckDocument(Workbench bench, string path)
    {
        if (bench.Engine.PromptRefusal(path) is { } refusal)
            throw new FeatureException($"{System.IO.Path.GetFileName(path)} is never sent to a model ({refusal}).");
    }

    public static void CheckText(string text, string what)
    {
        if (FilePolicy.ContainsPrivateKey(text))
            throw new FeatureException($"{what} holds a private key block, which is never sent to a model: remove it.");
    }

    /// <summary>A path as prompts show it: relative to the workspace folder holding it, with '/' separators.</summary>
    public static string Relative(Workbench bench, string path)
    {
        foreach (var folder in bench.WorkspaceFolders)
        {
            var relative = System.IO.Path.GetRelativePath(folder, path);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(relative)) return relative.Replace('\\', '/');
        }
        return path;
    }

    /// <summary>Context items as templates see them: <c>{path, startLine, endLine, reason, fence, text}</c>, lines 1-based.</summary>
    public static IReadOnlyList<object> Context(Workbench bench, IReadOnlyList<QuestionItem> items) => items.Select(item => (object)new
    {
        Path = Relative(bench, item.Path),
        StartLine = item.Range.StartLine + 1,
        EndLine = item.Range.EndLine + 1,
        Reason = item.Reason,
        Fence = CodeLanguage.Of(item.Path).Fence,
        Text = item.Text.TrimEnd(),
    }).ToArray();

    /// <summary>A selection as templates see it: <c>{path, startLine, endLine, fence, language, text}</c>.</summary>
    public static object Selection(Workbench bench, CodeSelection selection) => new
    {
        Path = Relative(bench, selection.Path),
        StartLine = selection.Lines.First,
        EndLine = selection.Lines.Last,
        Fence = selection.Language.Fence,
        Language = selection.Language.Name,
        Text = selection.Text.TrimEnd(),
    };

    public static IReadOnlyList<object> History(IReadOnlyList<ChatMessage> history) =>
        history.Select(m => (object)new { Role = m.Role, Content = m.Content }).ToArray();

    public static Reference SelectionReference(CodeSelection selection) => new(selection.Path, selection.Span, "the selection");
}
