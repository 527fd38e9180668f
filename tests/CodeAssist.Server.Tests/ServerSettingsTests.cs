using System.Text.Json;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server.Tests;

public class ServerSettingsTests
{
    private static ServerSettings Parse(string json, List<string>? warnings = null) =>
        ServerSettings.Parse(JsonDocument.Parse(json).RootElement, ServerSettings.Default, m => warnings?.Add(m));

    [Fact]
    public void Settings_are_read_bare_or_inside_a_codeassist_section()
    {
        var bare = Parse("""{"logLevel":"debug","exclude":["gen/**"]}""");
        var wrapped = Parse("""{"codeassist":{"logLevel":"debug","exclude":["gen/**"]}}""");

        Assert.Equal(MessageType.Debug, bare.LogLevel);
        Assert.Equal(["gen/**"], bare.Exclude);
        Assert.Equal(bare.LogLevel, wrapped.LogLevel);
        Assert.Equal(bare.Exclude, wrapped.Exclude);
    }

    [Fact]
    public void A_value_of_the_wrong_type_keeps_the_previous_one_with_a_warning()
    {
        var warnings = new List<string>();

        var settings = Parse("""{"logLevel":7,"exclude":"gen"}""", warnings);

        Assert.Equal(ServerSettings.Default.LogLevel, settings.LogLevel);
        Assert.Empty(settings.Exclude);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("logLevel"));
    }

    [Fact]
    public void The_index_cache_defaults_to_the_user_cache_and_can_be_moved_or_turned_off()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var warnings = new List<string>();

        Assert.Equal(Path.Combine(home, ".cache", "codeassist", "index"), ServerSettings.Default.IndexCache);
        Assert.Equal(Path.Combine(home, "indexes"), Parse("""{"indexCache":"~/indexes"}""").IndexCache);
        Assert.Null(Parse("""{"indexCache":null}""").IndexCache);
        Assert.Equal(ServerSettings.Default.IndexCache, Parse("""{"indexCache":false}""", warnings).IndexCache);
        Assert.Contains(warnings, w => w.Contains("indexCache"));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("""{"unknown":true}""")]
    public void Anything_that_is_not_a_settings_object_changes_nothing(string json) =>
        Assert.Equal(ServerSettings.Default, Parse(json));

    [Fact]
    public void Remote_model_options_completion_and_prompts_are_read_and_checked()
    {
        var warnings = new List<string>();
        var settings = Parse("""
            {"remote":{"url":"http://127.0.0.1:8080","api":"llamaServer","apiKeyVariable":"MY_KEY","fimFamily":"qwen"},
             "modelOptions":{"contextSize":4096,"threads":2},
             "completion":{"enabled":false,"languages":["csharp"],"debounceMs":null,"maxTokens":32,"contextTokens":512},
             "prompts":{"chat":"=== user ===\n{{question}}\n"}}
            """, warnings);

        Assert.Empty(warnings);
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), settings.Remote!.Url);
        Assert.Equal(Models.RemoteApi.LlamaServer, settings.Remote.Api);
        Assert.Equal("MY_KEY", settings.Remote.ApiKeyVariable);
        Assert.Equal(Models.FimFamily.QwenCoder, settings.Remote.FimFamily);
        Assert.Equal(RemoteSettings.DefaultContextSize, settings.Remote.ContextSize);
        Assert.Equal(new ModelOptionsSettings(4096, 2, null), settings.ModelOptions);
        Assert.Equal((false, 32, 512), (settings.Completion.Enabled, settings.Completion.MaxTokens, settings.Completion.ContextTokens));
        Assert.Equal(["csharp"], settings.Completion.Languages);
        Assert.Contains("{{question}}", settings.Prompts["chat"]);
    }

    [Fact]
    public void Nested_values_of_the_wrong_type_keep_the_previous_ones_with_a_warning()
    {
        var warnings = new List<string>();
        var settings = Parse("""{"remote":{"url":"ftp://x"},"modelOptions":{"threads":-1},"completion":{"maxTokens":"many","enabled":true}}""", warnings);

        Assert.Null(settings.Remote);
        Assert.Equal(ModelOptionsSettings.Default, settings.ModelOptions);
        Assert.Equal(CompletionSettings.Default.MaxTokens, settings.Completion.MaxTokens);
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'remote'") && w.Contains("url"));
        Assert.Contains(warnings, w => w.Contains("modelOptions.threads"));
        Assert.Contains(warnings, w => w.Contains("completion.maxTokens"));
    }
}
