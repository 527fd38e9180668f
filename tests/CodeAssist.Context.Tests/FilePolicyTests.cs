using CodeAssist.Context;

namespace CodeAssist.Context.Tests;

/// <summary>The public prompt policy: the context engine's rules, for features that read files themselves.</summary>
public sealed class FilePolicyTests
{
    [Fact]
    public void Secret_names_user_globs_and_gitignored_files_are_refused_and_any_other_file_type_is_allowed()
    {
        using var workspace = new TempWorkspace();
        workspace.Write(".gitignore", "build/\n*.log\n");
        var policy = new FilePolicy(workspace.Root, ["private/**"]);

        Assert.Equal("looks like a secret", policy.Refusal("config/.env.production"));
        Assert.Equal("looks like a secret", policy.Refusal("certs/server.pem"));
        Assert.Equal("excluded by a glob", policy.Refusal("private/notes.md"));
        Assert.Equal("ignored by .gitignore", policy.Refusal("build/out.cs"));
        Assert.Equal("ignored by .gitignore", policy.Refusal("logs/app.log"));
        Assert.Null(policy.Refusal("assets/logo.png"));
        Assert.Null(policy.Refusal("src/App.cs"));
    }

    [Fact]
    public void A_private_key_block_is_recognised_in_any_text()
    {
        Assert.True(FilePolicy.ContainsPrivateKey("x = \"\"\"\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n"));
        Assert.False(FilePolicy.ContainsPrivateKey("-----BEGIN CERTIFICATE-----\nabc\n"));
    }
}
