using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Bench.Micro.Wire;

/// <summary>The hottest client frame: an ACQUIRE encoded, parsed and decoded (target: 0 B, under 100 ns).</summary>
[BenchmarkCategory("Wire")]
public class LockRequestBenchmarks
{
    private readonly FrameBuffer _buffer = new();
    private readonly LockRequest _request = new(7, 42, 40, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("orders/customer-12345")), 1, 5000);

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public ulong AcquireFrameRoundTrip()
    {
        _buffer.Reset();
        FrameWriter.Write(_buffer, 1, FrameFlags.None, _request);
        var sequence = new ReadOnlySequence<byte>(_buffer.WrittenMemory);
        FrameParser.TryParse(ref sequence, 1 << 20, out _, out var payload, out _);
        LockRequest.TryRead(payload, out var decoded);
        return decoded.Seq;
    }

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public ulong ReplyFrameRoundTrip()
    {
        _buffer.Reset();
        FrameWriter.Write(_buffer, 1, FrameFlags.Response, new LockReply(LockOutcome.Granted, 123456, ""));
        var sequence = new ReadOnlySequence<byte>(_buffer.WrittenMemory);
        FrameParser.TryParse(ref sequence, 1 << 20, out _, out var payload, out _);
        LockReply.TryRead(payload, out var decoded);
        return decoded.Value;
    }
}
