using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;
using Sinkron.Wire.Server;

namespace Sinkron.Tests.Wire;

/// <summary>
/// The server's read loop, fed through a reader that hands over at most 4 KiB per read, as the TLS layer does.
/// </summary>
public class ReadBatchTests
{
    [Fact]
    public async Task Frames_that_have_all_arrived_end_in_one_batch_however_many_reads_they_take()
    {
        const int frames = 100;
        var bytes = HelloAndRequests(frames);
        Assert.True(bytes.Length > 5 * ChunkedReader.Chunk, "the frames must take several reads");
        var batches = await RunAsync(bytes);

        // One 4 KiB read per batch would give a follower one pass, and one fsync, per read.
        Assert.Equal([frames], batches);
    }

    [Fact]
    public async Task A_batch_ends_after_256_KiB_even_while_more_has_arrived()
    {
        // The answers to a batch's frames leave when it ends: a sender that never pauses must not hold them back.
        const int frames = 2_000;
        var bytes = HelloAndRequests(frames);
        var frameBytes = bytes.Length / (frames + 1);
        var batches = await RunAsync(bytes);

        Assert.Equal(frames, batches.Sum());
        Assert.True(batches.Count >= 2, $"one batch of {bytes.Length} bytes");
        Assert.All(batches, b => Assert.True(b * frameBytes <= 256 * 1024 + ChunkedReader.Chunk, $"a batch of {b} frames"));
    }

    [Fact]
    public async Task Frames_of_separate_arrivals_end_in_separate_batches()
    {
        var hello = new ArrayBufferWriter<byte>();
        FrameWriter.Write(hello, 1, FrameFlags.None, new Hello(Hello.CurrentVersion, PeerRole.Client, "test"));
        var request = new ArrayBufferWriter<byte>();
        FrameWriter.Write(request, MessageType.LockAcquire, 2, FrameFlags.None, new LockRequest(1, 1, 1, new ReadOnlySequence<byte>(new byte[8]), 0, 0));

        var batches = await RunAsync(hello.WrittenMemory, request.WrittenMemory, request.WrittenMemory);

        // HELLO is answered by the loop itself: its batch hands the handler no frame.
        Assert.Equal([0, 1, 1], batches);
    }

    /// <summary>HELLO, then <paramref name="count"/> lock requests with 200-byte names.</summary>
    private static ReadOnlyMemory<byte> HelloAndRequests(int count)
    {
        var bytes = new ArrayBufferWriter<byte>();
        FrameWriter.Write(bytes, 1, FrameFlags.None, new Hello(Hello.CurrentVersion, PeerRole.Client, "test"));
        var name = new ReadOnlySequence<byte>(new byte[200]);
        for (var i = 0; i < count; i++)
        {
            FrameWriter.Write(bytes, MessageType.LockAcquire, (ulong)i + 2, FrameFlags.None, new LockRequest(1, (ulong)i + 1, 1, name, 0, 0));
        }

        return bytes.WrittenMemory;
    }

    /// <summary>Runs one connection over <paramref name="arrivals"/>, each written once the batch of the one before has ended.</summary>
    private static async Task<List<int>> RunAsync(params ReadOnlyMemory<byte>[] arrivals)
    {
        var toServer = new Pipe();
        var fromServer = new Pipe();
        var context = new DefaultConnectionContext("test", new DuplexPipe(new ChunkedReader(toServer.Reader), fromServer.Writer), new DuplexPipe(fromServer.Reader, toServer.Writer));
        context.Features.Set<ITlsConnectionFeature>(new ClientTls());
        var options = new WireServerOptions();
        using var registry = new ConnectionRegistry(options);
        var handler = new BatchCounter();
        var served = new FrameConnectionHandler(handler, new SilentObserver(), options, registry).OnConnectedAsync(context);

        for (var i = 0; i < arrivals.Length; i++)
        {
            await toServer.Writer.WriteAsync(arrivals[i]);
            var ended = i + 1;
            await Poll.UntilAsync(() => handler.BatchCount >= ended || served.IsCompleted, TimeSpan.FromSeconds(10), $"batch {ended} to end");
        }

        await toServer.Writer.CompleteAsync();
        await served.WaitAsync(TimeSpan.FromSeconds(10));
        return handler.Batches;
    }

    /// <summary>Hands over at most <see cref="Chunk"/> more bytes per read, like Kestrel's TLS stream.</summary>
    private sealed class ChunkedReader(PipeReader inner) : PipeReader
    {
        public const int Chunk = 4096;
        private ReadOnlySequence<byte> _buffer;
        private long _shown;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            _buffer = result.Buffer;
            _shown = Math.Min(_buffer.Length, _shown + Chunk);
            return new ReadResult(_buffer.Slice(0, _shown), result.IsCanceled, result.IsCompleted && _shown == _buffer.Length);
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            var rest = _buffer.Slice(consumed).Length;
            _shown -= _buffer.Length - rest;

            // Bytes not handed over yet count as unexamined, so the next read returns at once, as TLS does with data buffered.
            inner.AdvanceTo(consumed, _shown < rest ? consumed : examined);
        }

        public override bool TryRead(out ReadResult result) => throw new NotSupportedException();

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }

    private sealed class BatchCounter : IFrameHandler
    {
        private readonly Lock _gate = new();
        private int _frames;

        public List<int> Batches { get; } = [];

        public int BatchCount
        {
            get
            {
                lock (_gate)
                {
                    return Batches.Count;
                }
            }
        }

        public void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload) => _frames++;

        public void OnClosed(ServerConnection connection)
        {
        }

        public void OnReadBatchEnd(ServerConnection connection)
        {
            lock (_gate)
            {
                Batches.Add(_frames);
            }

            _frames = 0;
        }
    }

    private sealed class SilentObserver : IWireObserver
    {
        public void ConnectionOpened(ServerConnection connection)
        {
        }

        public void ConnectionClosed(ServerConnection connection)
        {
        }

        public void ConnectionRefused(string remote, string principal, ErrorCode code, string reason)
        {
        }

        public void ProtocolError(ServerConnection connection, ErrorCode code, string reason)
        {
        }

        public void FramesReceived(int count)
        {
        }
    }

    private sealed class ClientTls : ITlsConnectionFeature
    {
        public X509Certificate2? ClientCertificate { get; set; } = Create();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

        private static X509Certificate2 Create()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=test, OU=client", key, HashAlgorithmName.SHA256);
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(10));
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
