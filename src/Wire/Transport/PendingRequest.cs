using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Transport;

/// <summary>A request waiting for its response frame; completed by the read loop.</summary>
internal abstract class PendingRequest
{
    public long DeadlineTicks;

    /// <summary>The request's frame type, which its response carries.</summary>
    public MessageType RequestType;

    public CancellationTokenRegistration Cancellation;

    /// <summary>Decodes the response (it is valid only during the call) and completes the waiter.</summary>
    public abstract void Complete(in FrameHeader header, in ReadOnlySequence<byte> payload);

    public abstract void Fail(Exception error);
}

/// <summary>
/// A pooled, reusable awaitable for one response type, so a request allocates no task.
/// The instance returns to its pool when the awaiter reads the result.
/// </summary>
internal sealed class PendingRequest<T> : PendingRequest, IValueTaskSource<T> where T : IWireMessage<T>
{
    private static readonly ConcurrentQueue<PendingRequest<T>> Pool = new();
    private ManualResetValueTaskSourceCore<T> _core;

    public static PendingRequest<T> Rent(bool inlineCompletions)
    {
        if (!Pool.TryDequeue(out var pending))
        {
            pending = new PendingRequest<T>();
        }

        pending._core.RunContinuationsAsynchronously = !inlineCompletions;
        return pending;
    }

    public ValueTask<T> Task => new(this, _core.Version);

    public override void Complete(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type == MessageType.Error)
        {
            Fail(ErrorMessage.TryRead(payload, out var error)
                ? SinkronException.From(error)
                : new SinkronException(ErrorCode.BadPayload, "the node sent a malformed error frame"));
            return;
        }

        if (header.Type != RequestType || !T.TryRead(payload, out var message))
        {
            Fail(new SinkronException(ErrorCode.BadPayload, $"the node answered {RequestType} with a malformed {header.Type} frame"));
            return;
        }

        Cancellation.Dispose();
        _core.SetResult(message);
    }

    public override void Fail(Exception error)
    {
        Cancellation.Dispose();
        _core.SetException(error);
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Cancellation = default;
            if (Pool.Count < 1024)
            {
                Pool.Enqueue(this);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
