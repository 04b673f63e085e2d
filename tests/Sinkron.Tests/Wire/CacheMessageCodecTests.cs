using System.Buffers;
using System.Text;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages.Cache;

namespace Sinkron.Tests.Wire;

public class CacheMessageCodecTests
{
    [Fact]
    public void Key_request_round_trips_across_segments()
    {
        var key = Encoding.UTF8.GetBytes("user:42:ü");
        foreach (var decoded in CodecRoundTrip.Decode(new CacheKey(new ReadOnlySequence<byte>(key))))
        {
            Assert.Equal(key, decoded.Key.ToArray());
        }
    }

    [Fact]
    public void Put_round_trips_across_segments_with_a_multi_segment_value()
    {
        var key = Encoding.UTF8.GetBytes("k");
        var value = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var put = new CachePut(new ReadOnlySequence<byte>(key), Sequences.Split(value, 7), 1500);
        foreach (var decoded in CodecRoundTrip.Decode(put))
        {
            Assert.Equal(key, decoded.Key.ToArray());
            Assert.Equal(value, decoded.Value.ToArray());
            Assert.Equal(1500u, decoded.TtlMs);
        }
    }

    [Fact]
    public void Result_round_trips_and_owns_its_value()
    {
        var result = new CacheResult(CacheResultStatus.Ok, CacheLineState.Shared, 7, "hello"u8.ToArray());
        foreach (var decoded in CodecRoundTrip.Decode(result))
        {
            Assert.Equal((result.Status, result.State, result.Version), (decoded.Status, decoded.State, decoded.Version));
            Assert.Equal("hello"u8.ToArray(), decoded.Value.ToArray());
        }

        var missing = new CacheResult(CacheResultStatus.NotFound, CacheLineState.Invalid, 0, ReadOnlyMemory<byte>.Empty);
        Assert.All(CodecRoundTrip.Decode(missing), d => Assert.Equal((CacheResultStatus.NotFound, 0), (d.Status, d.Value.Length)));
    }

    [Fact]
    public void Result_with_an_undefined_state_is_malformed()
    {
        var bytes = new byte[2 + 8 + 4];
        bytes[1] = 9;
        Assert.False(CacheResult.TryRead(new ReadOnlySequence<byte>(bytes), out _));
    }

    [Fact]
    public void Stats_round_trip()
    {
        var stats = new CacheStatsResponse("cache2", 10, 4, 3, 2, 5, 6, 0, new CacheLineCounts(1, 2, 3, 4), 4096,
            new CacheLatency(80, 900, 120, 1500), [new CacheBusCount("BusRd", 7, 0), new CacheBusCount("GrantS", 0, 7)]);
        foreach (var decoded in CodecRoundTrip.Decode(stats))
        {
            Assert.Equal(stats with { Bus = decoded.Bus }, decoded);
            Assert.Equal(stats.Bus, decoded.Bus);
            Assert.Equal(10.0 / 14, decoded.HitRatio, 6);
        }

        Assert.All(CodecRoundTrip.Decode(default(CacheStatsRequest)), d => Assert.Equal(default, d));
    }
}
