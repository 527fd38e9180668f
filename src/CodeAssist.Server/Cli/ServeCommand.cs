using System.CommandLine;

namespace CodeAssist.Server.Cli;

/// <summary><c>codeassist serve --stdio</c>: the language server, speaking LSP on stdin and stdout.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Speak LSP over stdin and stdout (the only transport)" };
        var command = new Command("serve", "Run the language server (editors start this)") { stdio };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var input = Console.OpenStandardInput();
            var output = StandardStreams.OpenProtocolOutput();
            Console.SetOut(Console.Error);
            return await LanguageServer.RunAsync(input, output, Console.Error, cancellationToken);
        });
        return command;
    }
}
