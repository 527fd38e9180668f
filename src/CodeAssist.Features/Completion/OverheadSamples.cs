namespace CodeAssist.Features.Completion;

/// <summary>The server's own time per completion (everything but the debounce and the model), over the last 1000 requests.</summary>
internal sealed class OverheadSamples
{
    private const int Capacity = 1000;
    private readonly double[] _milliseconds = new double[Capacity];
    private int _count;
    private int _next;

    public void Add(TimeSpan overhead)
    {
        lock (_milliseconds)
        {
            _milliseconds[_next] = Math.Max(0, overhead.TotalMilliseconds);
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    public (double P50, double P99, int Samples) Percentiles()
    {
        double[] sorted;
        lock (_milliseconds)
        {
            sorted = _milliseconds[.._count];
        }
        if (sorted.Length == 0)
        {
            return (0, 0, 0);
        }
        Array.Sort(sorted);
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return (At(0.5), At(0.99), sorted.Length);
    }
}
