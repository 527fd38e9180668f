namespace CodeAssist.Server.Tests;

/// <summary>
/// The defaults every server and command starts from: the user's settings file, then CODEASSIST_MODEL. These tests change
/// process-wide environment variables, so they run in a collection of their own, never beside another test.
/// </summary>
[CollectionDefinition(nameof(UserDefaultsTests), DisableParallelization = true)]
public sealed class UserDefaultsCollection;

[Collection(nameof(UserDefaultsTests))]
public sealed class UserDefaultsTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "codeassist-config-" + Guid.NewGuid().ToString("N"));
    private readonly string? _savedConfig = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
    private readonly string? _savedModel = Environment.GetEnvironmentVariable("CODEASSIST_MODEL");

    public UserDefaultsTests()
    {
        Directory.CreateDirectory(Path.Combine(_config, "codeassist"));
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", _config);
        Environment.SetEnvironmentVariable("CODEASSIST_MODEL", null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", _savedConfig);
        Environment.SetEnvironmentVariable("CODEASSIST_MODEL", _savedModel);
        Directory.Delete(_config, recursive: true);
    }

    private void WriteSettingsFile(string json) => File.WriteAllText(Path.Combine(_config, "codeassist", "settings.json"), json);

    [Fact]
    public void The_settings_file_is_read_with_comments_and_the_environment_names_the_model_over_it()
    {
        WriteSettingsFile("""
            // the user's own settings
            { "model": "/models/from-file.gguf", "completion": { "maxTokens": 16 }, }
            """);
        var warnings = new List<string>();

        Assert.Equal("/models/from-file.gguf", ServerSettings.UserDefaults(warnings.Add).Model);

        Environment.SetEnvironmentVariable("CODEASSIST_MODEL", "/models/from-env.gguf");
        var settings = ServerSettings.UserDefaults(warnings.Add);
        Assert.Equal("/models/from-env.gguf", settings.Model);
        Assert.Equal(16, settings.Completion.MaxTokens);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_broken_settings_file_is_reported_and_ignored()
    {
        WriteSettingsFile("{ not json");
        var warnings = new List<string>();

        Assert.Equal(ServerSettings.Default, ServerSettings.UserDefaults(warnings.Add));
        Assert.Contains(ServerSettings.UserSettingsFile, Assert.Single(warnings));
    }

    [Fact]
    public void Without_a_file_or_variable_the_defaults_are_the_built_in_ones() =>
        Assert.Equal(ServerSettings.Default, ServerSettings.UserDefaults(_ => Assert.Fail("no warning expected")));
}
