using CodeAssist.Features.Prompts;

namespace CodeAssist.Features.Tests.Prompts;

public sealed class PromptLibraryTests : IDisposable
{
    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "codeassist-prompts-" + Guid.NewGuid().ToString("N"));

    public PromptLibraryTests() => Directory.CreateDirectory(Path.Combine(_workspace, ".codeassist", "prompts"));

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private void WriteWorkspaceTemplate(string name, string text) => File.WriteAllText(Path.Combine(_workspace, ".codeassist", "prompts", name), text);

    private static string Content(PromptTemplate template) => template.Render(new { })[0].Content;

    [Fact]
    public void Settings_win_over_the_workspace_and_a_family_template_over_the_plain_one()
    {
        WriteWorkspaceTemplate("probe.prompt", "=== user ===\nworkspace\n");
        WriteWorkspaceTemplate("probe.qwencoder.prompt", "=== user ===\nworkspace qwen\n");
        var warnings = new List<string>();

        var fromWorkspace = PromptLibrary.Load([_workspace], new Dictionary<string, string>(), warnings.Add);
        Assert.Equal("workspace qwen", Content(fromWorkspace.Get("probe", "QwenCoder")));
        Assert.Equal("workspace", Content(fromWorkspace.Get("probe", "StarCoder")));
        Assert.Equal("workspace", Content(fromWorkspace.Get("probe")));

        var fromSettings = PromptLibrary.Load([_workspace], new Dictionary<string, string> { ["probe"] = "=== user ===\nsettings\n" }, warnings.Add);
        // The settings are the user's last word: their plain template wins over a family template in the workspace.
        Assert.Equal("settings", Content(fromSettings.Get("probe", "QwenCoder")));
        Assert.Empty(warnings);
    }

    [Fact]
    public void The_workspace_stamp_changes_when_a_template_is_added_edited_or_removed_and_only_then()
    {
        var empty = PromptLibrary.WorkspaceStamp([_workspace]);
        Assert.Equal(empty, PromptLibrary.WorkspaceStamp([_workspace, Path.Combine(_workspace, "no-such-folder")]));

        WriteWorkspaceTemplate("probe.prompt", "=== user ===\none\n");
        var added = PromptLibrary.WorkspaceStamp([_workspace]);
        Assert.NotEqual(empty, added);
        Assert.Equal(added, PromptLibrary.WorkspaceStamp([_workspace]));
        File.WriteAllText(Path.Combine(_workspace, "notes.txt"), "not a template");
        Assert.Equal(added, PromptLibrary.WorkspaceStamp([_workspace]));

        WriteWorkspaceTemplate("probe.prompt", "=== user ===\nthe second version\n");
        Assert.NotEqual(added, PromptLibrary.WorkspaceStamp([_workspace]));

        File.Delete(Path.Combine(_workspace, ".codeassist", "prompts", "probe.prompt"));
        Assert.Equal(empty, PromptLibrary.WorkspaceStamp([_workspace]));
    }

    [Fact]
    public void A_broken_user_template_is_reported_and_skipped()
    {
        WriteWorkspaceTemplate("probe.prompt", "=== user ===\n{{#open}}\n");
        var warnings = new List<string>();

        var library = PromptLibrary.Load([_workspace], new Dictionary<string, string> { ["other"] = "=== user ===\nfine\n" }, warnings.Add);

        var warning = Assert.Single(warnings);
        Assert.Contains("probe.prompt", warning);
        Assert.Contains("never closed", warning);
        Assert.Throws<PromptException>(() => library.Get("probe"));
        Assert.Equal("fine", Content(library.Get("other")));
    }

    [Fact]
    public void Every_built_in_template_parses()
    {
        foreach (var name in PromptLibrary.BuiltInNames)
        {
            var task = name.Split('.')[0];
            Assert.NotNull(PromptLibrary.BuiltIn.Get(task, name.Contains('.') ? name.Split('.')[1] : null));
        }
    }
}
