using System.Diagnostics;

namespace Sinkron.Bench.Macro;

/// <summary>What a scenario step records into: per-operation stats, looked up by index.</summary>
internal sealed class ScenarioContext(IReadOnlyList<OperationStats> operations)
{
    private int _failureShown;

    public IReadOnlyList<OperationStats> Operations { get; } = operations;

    /// <summary>Times <paramref name="operation"/> from <paramref name="start"/> (a Stopwatch timestamp) to now.</summary>
    public void Ok(int operation, long start)
        => Operations[operation].RecordOk((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);

    public void Fail(int operation, Exception error)
    {
        // The first failure says what went wrong; the counts say how often.
        if (Interlocked.Exchange(ref _failureShown, 1) == 0)
        {
            Console.Error.WriteLine($"first failure ({Operations[operation].Name}): {error.GetType().Name}: {error.Message}");
        }

        Operations[operation].RecordFailure(error is SinkronException { Code: Sinkron.Wire.Messages.ErrorCode.Timeout } or TimeoutException or OperationCanceledException);
    }
}
