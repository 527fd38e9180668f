namespace CodeAssist.Models;

/// <summary>
/// A model problem the user can fix (missing or damaged file, unsupported architecture, not enough memory, prompt
/// longer than the context, server unreachable). <see cref="Exception.Message"/> says what to do;
/// <see cref="NativeReason"/> carries llama.cpp's own log lines when there are any.
/// </summary>
public sealed class ModelException : Exception
{
    public ModelException(string message, string? nativeReason = null, Exception? inner = null)
        : base(string.IsNullOrWhiteSpace(nativeReason) ? message : $"{message} llama.cpp: {nativeReason.Trim()}", inner)
    {
        NativeReason = string.IsNullOrWhiteSpace(nativeReason) ? null : nativeReason.Trim();
    }

    public string? NativeReason { get; }
}
