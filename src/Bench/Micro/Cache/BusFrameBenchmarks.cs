using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sinkron.Nodes.Cache;
using Sinkron.Nodes.Ring;
using Sinkron.Wire.Framing;

namespace Sinkron.Bench.Micro.Cache;

/// <summary>MESI bus frames (a request without data, a flush with a 128-byte value) and the ring lookup that finds a key's home.</summary>
[BenchmarkCategory("Cache")]
public class BusFrameBenchmarks
{
    private readonly FrameBuffer _buffer = new();
    private readonly BusMessage _read = new(BusMessageType.BusRd, 1, 2, 0, BusFlags.None, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("user:12345")), default);
    private readonly BusMessage _flush = new(BusMessageType.BusRdX, 2, 1, 17, BusFlags.HasData, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("user:12345")), new ReadOnlySequence<byte>(new byte[128]));
    private readonly HashRing _ring = new([new RingNode("cache1"), new RingNode("cache2"), new RingNode("cache3")]);
    private readonly byte[] _key = Encoding.UTF8.GetBytes("user:12345");

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public ulong ReadRequestRoundTrip() => RoundTrip(_read);

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public ulong DataFrameRoundTrip() => RoundTrip(_flush);

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public int RingLookup() => _ring.LookupIndex(_key);

    private ulong RoundTrip(in BusMessage message)
    {
        _buffer.Reset();
        BusFrameCodec.Write(_buffer, message);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer.WrittenMemory));
        BusFrameCodec.TryRead(ref reader, out var decoded);
        return decoded.Version + (ulong)decoded.Key.Length;
    }
}
