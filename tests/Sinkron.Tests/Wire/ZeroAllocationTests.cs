using System.Buffers;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Wire;

/// <summary>The cheap guard for every test run; BenchmarkDotNet's MemoryDiagnoser is the full proof.</summary>
public class ZeroAllocationTests
{
    [Fact]
    public void Ping_frame_encode_and_decode_allocate_nothing()
    {
        using var buffer = new FrameBuffer();
        Assert.Equal(0, AllocationProbe.Measure(() => RoundTrip(buffer, 10_000)));
    }

    private static void RoundTrip(FrameBuffer buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            buffer.Reset();
            FrameWriter.Write(buffer, (ulong)i, FrameFlags.None, new Ping((ulong)i));
            var sequence = new ReadOnlySequence<byte>(buffer.WrittenMemory);
            FrameParser.TryParse(ref sequence, 1024, out _, out var payload, out _);
            Ping.TryRead(payload, out var ping);
            if (ping.Token != (ulong)i)
            {
                throw new InvalidOperationException("round trip broke");
            }
        }
    }
}
