using Sinkron.Wire.Messages;

namespace Sinkron;

/// <summary>
/// A request failed with a Sinkron error code. <see cref="Hint"/> carries machine-readable
/// detail (the leader's address for NOT_LEADER, the cycle for DEADLOCK).
/// </summary>
public sealed class SinkronException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SinkronException(ErrorCode code, string message, string hint = "", Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Hint = hint;
    }

    /// <summary>The error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>Detail that depends on the code; empty when there is none.</summary>
    public string Hint { get; }

    /// <summary>True when the same request may succeed if sent again (possibly to another node).</summary>
    public bool IsRetryable => Code is ErrorCode.Unavailable or ErrorCode.NotLeader or ErrorCode.ConnectionClosed or ErrorCode.Timeout or ErrorCode.TooManyConnections;

    /// <summary>Creates the exception an error frame describes.</summary>
    public static SinkronException From(in ErrorMessage error) => new(error.Code, error.Message, error.Hint);
}
