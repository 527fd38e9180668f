using System.Text;
using CodeAssist.Models;

namespace CodeAssist.Features.Generation;

/// <summary>
/// Runs the model on a prompt and streams its text: the one place features call <see cref="ICodeModel.ChatAsync"/>, so
/// every generation is counted, shown to the prompt observer first, and stopped at once by cancellation (the model checks
/// the token between tokens; the counters then show it cancelled, with no token added after).
/// </summary>
internal static class ModelGeneration
{

    /// <param name="onText">Receives each piece of text as it is generated; awaited, so a slow client slows the stream down rather than piling it up.</param>
    public static async Task<string> RunAsync(Workbench bench, PreparedPrompt prompt, Func<string, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        bench.PromptObserver?.Invoke(prompt.Task, prompt.Messages);
        var counters = bench.Counters;
        counters.Started();
        counters.Prompt(prompt.PromptTokens);
        var text = new StringBuilder();
        int generated = 0;
        try
        {
            var request = new ChatRequest { Messages = prompt.Messages, MaxTokens = prompt.AnswerTokens, Sampling = new SamplingOptions { Temperature = bench.Temperature, Seed = 42 }, CacheKey = "codeassist/" + prompt.Task };
            await foreach (var chunk in bench.Model.ChatAsync(request, cancellationToken).ConfigureAwait(false))
            {
                // The model may have run ahead of a slow client: what it buffered is not sent once the request is cancelled.
                cancellationToken.ThrowIfCancellationRequested();
                counters.Generated(chunk.Usage.GeneratedTokens - generated);
                generated = chunk.Usage.GeneratedTokens;
                if (chunk.Text.Length == 0) continue;
                text.Append(chunk.Text);
                if (onText is not null) await onText(chunk.Text, cancellationToken).ConfigureAwait(false);
            }
            counters.Finished();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            counters.Cancelled();
            throw;
        }
        catch (ModelException exception)
        {
            counters.Failed();
            throw new FeatureException($"The model failed: {exception.Message}");
        }
        catch
        {
            counters.Failed();
            throw;
        }
        return text.ToString();
    }
}

/// <summary>A prompt ready for the model: its messages, the repository locations it shows and why, and its token counts.</summary>
/// <param name="Task">The template's task (<c>chat</c>, <c>explain</c>, …), also the model's cache key: the next prompt of the same task shares its prefix.</param>
/// <param name="AnswerTokens">The most tokens the answer may take; the prompt leaves room for them in the window.</param>
public sealed record PreparedPrompt(string Task, IReadOnlyList<ChatMessage> Messages, IReadOnlyList<Reference> References, int PromptTokens, int ContextTokens, int AnswerTokens);

/// <summary>A repository location a prompt showed the model, and why it was chosen.</summary>
public sealed record Reference(string Path, Context.SourceSpan Range, string Reason);
