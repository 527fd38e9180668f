using System.Text.Json;
using CodeAssist.Models.Tests;

namespace CodeAssist.Server.Tests;

/// <summary>The <c>model</c> setting: loaded in the background, reported by <c>codeassist/status</c>, never fatal.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class ModelStatusTests(TinyModel tiny)
{
    private static async Task<JsonElement> ModelStatusWhenSettledAsync(TestServer server)
    {
        while (true)
        {
            var model = (await server.StatusAsync()).GetProperty("model");
            if (model.GetProperty("state").GetString() != "loading")
            {
                return model;
            }
            await Task.Delay(20);
        }
    }

    private static string Options(string? model) =>
        JsonSerializer.Serialize(new { capabilities = new { }, initializationOptions = new { model } });

    [Fact]
    public async Task A_model_from_the_settings_loads_and_status_names_it_and_its_backend()
    {
        await using var server = new TestServer();
        await server.InitializeAsync(Options(tiny.ModelPath));

        var model = await ModelStatusWhenSettledAsync(server);

        Assert.Equal("ready", model.GetProperty("state").GetString());
        Assert.Equal("cpu", model.GetProperty("backend").GetString());
        Assert.Equal(tiny.ModelPath, model.GetProperty("path").GetString());
        Assert.True(model.GetProperty("contextSize").GetInt32() > 0);
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_fails_with_the_reason_and_the_server_carries_on()
    {
        var fake = Path.Combine(tiny.Directory, "notes.gguf");
        await File.WriteAllTextAsync(fake, "these are notes, not weights");
        await using var server = new TestServer();
        await server.InitializeAsync(Options(fake));

        var model = await ModelStatusWhenSettledAsync(server);

        Assert.Equal("failed", model.GetProperty("state").GetString());
        Assert.Contains("GGUF", model.GetProperty("error").GetString());
        Assert.Contains(fake, server.Stderr.ToString());
    }

    [Fact]
    public async Task Changing_the_setting_switches_models_and_null_unloads()
    {
        await using var server = new TestServer();
        await server.InitializeAsync(Options(Path.Combine(tiny.Directory, "missing.gguf")));
        var missing = await ModelStatusWhenSettledAsync(server);

        await server.NotifyAsync("workspace/didChangeConfiguration", JsonSerializer.Serialize(new { settings = new { model = tiny.ModelPath } }));
        var loaded = await ModelStatusWhenSettledAsync(server);
        await server.NotifyAsync("workspace/didChangeConfiguration", """{"settings":{"model":null}}""");
        var unloaded = await ModelStatusWhenSettledAsync(server);

        Assert.Equal("failed", missing.GetProperty("state").GetString());
        Assert.Equal("ready", loaded.GetProperty("state").GetString());
        Assert.Equal("none", unloaded.GetProperty("state").GetString());
    }
}
