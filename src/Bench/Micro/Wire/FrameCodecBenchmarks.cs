using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;

namespace Sinkron.Bench.Micro.Wire;

/// <summary>Encode a frame into a reused buffer, parse it back and decode its payload.</summary>
[BenchmarkCategory("Wire")]
public class FrameCodecBenchmarks
{
    private readonly FrameBuffer _buffer = new();
    private readonly StatusResponse _status = new("lock", "lock1", "1.0.0", 12345, 7, [new("term", "3"), new("commit", "1024")]);

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public ulong Ping() => RoundTrip(new Ping(42)).Token;

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public int StatusRequest()
    {
        RoundTrip(default(StatusRequest));
        return _buffer.WrittenCount;
    }

    /// <summary>Control frames decode their strings into managed strings; they are once per connection, not per request.</summary>
    [Benchmark]
    public ushort Hello() => RoundTrip(new Hello(1, PeerRole.Client, "lock1")).Version;

    [Benchmark]
    public ErrorCode Error() => RoundTrip(new ErrorMessage(ErrorCode.NotLeader, "not the leader", "127.0.0.1:7002")).Code;

    [Benchmark]
    public uint Status() => RoundTrip(_status).Connections;

    private T RoundTrip<T>(in T message) where T : IWireMessage<T>
    {
        _buffer.Reset();
        FrameWriter.Write(_buffer, 1, FrameFlags.None, message);
        var sequence = new ReadOnlySequence<byte>(_buffer.WrittenMemory);
        FrameParser.TryParse(ref sequence, 1 << 20, out _, out var payload, out _);
        T.TryRead(payload, out var decoded);
        return decoded;
    }
}
