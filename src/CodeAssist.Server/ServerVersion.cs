using System.Reflection;

namespace CodeAssist.Server;

/// <summary>The version users see in <c>--version</c>, <c>initialize</c> and <c>codeassist/status</c>.</summary>
public static class ServerVersion
{
    public static readonly string Text =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
