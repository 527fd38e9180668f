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
}
