using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CodeAssist.Server.Cli;

/// <summary>
/// Gives the protocol sole use of stdout. On Unix the real stdout is duplicated to a private descriptor
/// for the protocol and descriptor 1 is pointed at stderr, so anything else that prints (a native library,
/// a stray Console.Write) lands in the log instead of corrupting a frame.
/// </summary>
internal static partial class StandardStreams
{
    public static Stream OpenProtocolOutput()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var protocol = dup(1);
            if (protocol >= 0 && dup2(2, 1) >= 0)
            {
                return new FileStream(new SafeFileHandle(protocol, ownsHandle: true), FileAccess.Write, bufferSize: 0);
            }
        }
#pragma warning disable RS0030 // The composition root is the one place that opens stdout, for the protocol.
        return Console.OpenStandardOutput();
#pragma warning restore RS0030
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);
}
