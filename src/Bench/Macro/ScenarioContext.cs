using System.Diagnostics;

namespace Sinkron.Bench.Macro;

/// <summary>What a scenario step records into: per-operation stats, looked up by index.</summary>
internal sealed class ScenarioContext(IReadOnlyList<OperationStats> operations)
{
    public IReadOnlyList<OperationStats> Operations { get; } = operations;

    /// <summary>Times <paramref name="operation"/> from <paramref name="start"/> (a Stopwatch timestamp) to now.</summary>
    public void Ok(int operation, long start)
        => Operations[operation].RecordOk((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);

    public void Fail(int operation, Exception error)
        => Operations[operation].RecordFailure(error is SinkronException { Code: Sinkron.Wire.Messages.ErrorCode.Timeout } or TimeoutException or OperationCanceledException);
}
