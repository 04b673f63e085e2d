using System.Buffers;
using System.IO.Pipelines;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Transport;

/// <summary>
/// The single writer of one connection. Any thread encodes frames into the pending buffer
/// under a short lock; <see cref="Flush"/> wakes the writer loop, which swaps buffers and
/// hands the whole batch to the pipe with one write and one flush. Two buffers alternate,
/// so producers never wait for the socket.
/// </summary>
public sealed class FrameOutbox : IDisposable
{
    private readonly Lock _gate = new();
    private readonly AsyncSignal _signal = new();
    private FrameBuffer _pending = new();
    private FrameBuffer _sending = new();
    private bool _completed;
    private int _deferred;
    private int _flushQueued;

    // Corking: while a read loop completes a batch of responses inline, the continuations it runs
    // send their next requests; their flushes are deferred to the end of the batch, so N requests
    // leave in one write instead of N writes and N TLS records.
    [ThreadStatic]
    private static List<FrameOutbox>? t_corked;

    [ThreadStatic]
    private static int t_corkDepth;

    /// <summary>Total frames queued; read by metrics.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Queues a frame. Call <see cref="Flush"/> after a batch.</summary>
    public void Write<T>(ulong requestId, FrameFlags flags, in T message) where T : IWireMessage<T>
        => Write(T.Type, requestId, flags, message);

    /// <summary>Queues a frame of <paramref name="type"/> whose payload has <typeparamref name="T"/>'s layout.</summary>
    public void Write<T>(MessageType type, ulong requestId, FrameFlags flags, in T message) where T : IWireMessage<T>
    {
        lock (_gate)
        {
            FrameWriter.Write(_pending, type, requestId, flags, message);
            FramesWritten++;
        }
    }

    /// <summary>Queues the answer to <paramref name="request"/>, with the request's frame type.</summary>
    public void Respond<T>(in FrameHeader request, in T message) where T : IWireMessage<T>
        => Write(request.Type, request.RequestId, FrameFlags.Response, message);

    /// <summary>Queues the answer to <paramref name="requestId"/>.</summary>
    public void Respond<T>(ulong requestId, in T message) where T : IWireMessage<T>
        => Write(requestId, FrameFlags.Response, message);

    /// <summary>Queues an error answer to <paramref name="requestId"/>.</summary>
    public void RespondError(ulong requestId, ErrorCode code, string text, string hint = "")
        => Write(requestId, FrameFlags.Response, new ErrorMessage(code, text, hint));

    /// <summary>
    /// Lets a streaming encoder write one frame while holding the outbox; dispose the scope to
    /// finish the frame. For messages whose size is not known up front (Raft batches).
    /// </summary>
    public FrameScope BeginFrame(MessageType type, FrameFlags flags, ulong requestId)
    {
        _gate.Enter();
        FramesWritten++;
        return new FrameScope(this, FrameWriter.BeginFrame(_pending, type, flags, requestId));
    }

    /// <summary>Wakes the writer loop to send everything queued so far (at the end of the current cork, if any).</summary>
    public void Flush()
    {
        if (t_corkDepth > 0)
        {
            if (Interlocked.Exchange(ref _deferred, 1) == 0)
            {
                t_corked!.Add(this);
            }

            return;
        }

        _signal.Set();
    }

    /// <summary>
    /// Flushes shortly, on the thread pool: for answers completed one at a time on other threads
    /// (Redis replies), so the answers completed meanwhile leave in the same write.
    /// </summary>
    public void FlushSoon()
    {
        if (Interlocked.Exchange(ref _flushQueued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static outbox =>
            {
                Volatile.Write(ref outbox._flushQueued, 0);
                outbox._signal.Set();
            }, this, preferLocal: false);
        }
    }

    /// <summary>Defers this thread's flushes until the matching <see cref="Uncork"/>.</summary>
    public static void Cork()
    {
        t_corked ??= [];
        t_corkDepth++;
    }

    /// <summary>Sends everything flushed on this thread since <see cref="Cork"/>.</summary>
    public static void Uncork()
    {
        if (--t_corkDepth > 0)
        {
            return;
        }

        var corked = t_corked!;
        for (var i = 0; i < corked.Count; i++)
        {
            var outbox = corked[i];
            Volatile.Write(ref outbox._deferred, 0);
            outbox._signal.Set();
        }

        corked.Clear();
    }

    /// <summary>Stops the writer loop after it sent what is queued.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }

        _signal.Set();
    }

    /// <summary>Runs until <see cref="Complete"/> or the pipe closes.</summary>
    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync();
            FrameBuffer batch;
            bool completed;
            lock (_gate)
            {
                batch = _pending;
                _pending = _sending;
                _sending = batch;
                completed = _completed;
            }

            if (batch.WrittenCount > 0)
            {
                output.Write(batch.WrittenSpan);
                batch.Reset();
                var result = await output.FlushAsync(cancellationToken);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }

            if (completed)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _pending.Dispose();
            _sending.Dispose();
        }
    }

    /// <summary>An open frame in the outbox; the payload goes to <see cref="Writer"/>.</summary>
    public readonly ref struct FrameScope
    {
        private readonly FrameOutbox _owner;
        private readonly int _start;

        internal FrameScope(FrameOutbox owner, int start)
        {
            _owner = owner;
            _start = start;
        }

        /// <summary>Where the payload is written.</summary>
        public FrameBuffer Writer => _owner._pending;

        /// <summary>Finishes the frame and releases the outbox.</summary>
        public void Dispose()
        {
            FrameWriter.EndFrame(_owner._pending, _start);
            _owner._gate.Exit();
        }
    }
}
