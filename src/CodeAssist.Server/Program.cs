using System.CommandLine;
using CodeAssist.Server.Cli;

namespace CodeAssist.Server;

/// <summary>The <c>codeassist</c> command line: every command has <c>--help</c>.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("CodeAssist: a local-first AI coding assistant that runs as a language server")
        {
            ServeCommand.Create(),
            ContextCommand.Create(),
            CompleteCommand.Create(),
            BenchCommand.Create(),
            ModelCommand.Create(),
            CommitMessageCommand.Create(),
            HookCommand.Create(),
        };
        foreach (var command in AssistantCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        return root.Parse(args).InvokeAsync();
    }
}
