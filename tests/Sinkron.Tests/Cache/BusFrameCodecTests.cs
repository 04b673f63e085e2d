using System.Buffers;
using Sinkron.Nodes.Cache;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Cache;

public class BusFrameCodecTests
{
    private static BusMessage Sample(BusMessageType type, byte[] key, byte[] value, BusFlags flags = BusFlags.HasData) =>
        new(type, 1, 2, 0x0102030405060708UL, flags, new ReadOnlySequence<byte>(key), new ReadOnlySequence<byte>(value));

    private static byte[] Encode(in BusMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameCodec.Write(writer, in message);
        return writer.WrittenSpan.ToArray();
    }

    private static void AssertSame(in BusMessage expected, in BusMessage actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Key.ToArray(), actual.Key.ToArray());
        Assert.Equal(expected.Value.ToArray(), actual.Value.ToArray());
    }

    [Fact]
    public void Every_type_round_trips()
    {
        for (byte t = 1; t < BusMessageTypes.Count; t++)
        {
            var message = Sample((BusMessageType)t, "key"u8.ToArray(), t % 2 == 0 ? [] : "some value"u8.ToArray());
            var frame = Encode(message);
            Assert.Equal(BusFrameCodec.HeaderSize + message.Key.Length + message.Value.Length, frame.Length);

            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
            Assert.True(BusFrameCodec.TryRead(ref reader, out var decoded));
            Assert.Equal(0, reader.Remaining);
            AssertSame(message, decoded);
        }
    }

    [Fact]
    public void Frames_split_at_every_position_round_trip()
    {
        var message = Sample(BusMessageType.GrantM, "a-key"u8.ToArray(), "a value of some length"u8.ToArray(), BusFlags.HasData | BusFlags.Tombstone);
        var frame = Encode(message);
        for (var a = 0; a <= frame.Length; a++)
        {
            for (var b = a; b <= frame.Length; b += 3)
            {
                var reader = new SequenceReader<byte>(Sequences.SplitAt(frame, a, b));
                Assert.True(BusFrameCodec.TryRead(ref reader, out var decoded));
                AssertSame(message, decoded);
            }
        }
    }

    [Fact]
    public void Multi_segment_key_and_value_are_written_whole()
    {
        var key = Sequences.SplitAt("split-key"u8.ToArray(), 3, 5);
        var value = Sequences.SplitAt("split-value"u8.ToArray(), 1);
        var message = new BusMessage(BusMessageType.PutM, 0, 1, 7, BusFlags.HasData, key, value);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encode(message)));
        Assert.True(BusFrameCodec.TryRead(ref reader, out var decoded));
        AssertSame(message, decoded);
    }

    [Fact]
    public void Several_frames_in_one_buffer_read_one_by_one_and_a_partial_tail_waits()
    {
        var first = Encode(Sample(BusMessageType.Inv, "k1"u8.ToArray(), [], BusFlags.None));
        var second = Encode(Sample(BusMessageType.GrantS, "k2"u8.ToArray(), "v"u8.ToArray()));
        var buffer = first.Concat(second).Concat(second.Take(10)).ToArray();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer));

        Assert.True(BusFrameCodec.TryRead(ref reader, out var a));
        Assert.Equal(BusMessageType.Inv, a.Type);
        Assert.True(BusFrameCodec.TryRead(ref reader, out var b));
        Assert.Equal(BusMessageType.GrantS, b.Type);
        var consumed = reader.Consumed;
        Assert.Equal(BusReadStatus.Incomplete, BusFrameCodec.Read(ref reader, out _));
        Assert.Equal(consumed, reader.Consumed);
    }

    [Fact]
    public void Bad_headers_are_invalid_without_waiting_for_a_body()
    {
        var good = Encode(Sample(BusMessageType.BusRd, "k"u8.ToArray(), []));
        var cases = new List<byte[]>();

        var badType = (byte[])good.Clone();
        badType[4] = 99;
        cases.Add(badType);
        var badFlags = (byte[])good.Clone();
        badFlags[5] = 0x80;
        cases.Add(badFlags);
        var badLength = (byte[])good.Clone();
        badLength[0]++;
        cases.Add(badLength);
        var hugeValue = (byte[])good.Clone();
        hugeValue[15] = 0x7f;
        cases.Add(hugeValue);

        foreach (var frame in cases)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
            Assert.Equal(BusReadStatus.Invalid, BusFrameCodec.Read(ref reader, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void Garbage_never_throws()
    {
        var random = new Random(7);
        var good = Encode(Sample(BusMessageType.FetchAck, "key"u8.ToArray(), "value"u8.ToArray()));
        for (var i = 0; i < 20_000; i++)
        {
            byte[] data;
            if (i % 2 == 0)
            {
                data = new byte[random.Next(64)];
                random.NextBytes(data);
            }
            else
            {
                // Mostly valid frames with one corrupted byte reach the deeper checks.
                data = (byte[])good.Clone();
                data[random.Next(data.Length)] = (byte)random.Next(256);
                data = data.AsSpan(0, random.Next(data.Length + 1)).ToArray();
            }

            var cut = data.Length == 0 ? 0 : random.Next(data.Length);
            var reader = new SequenceReader<byte>(Sequences.SplitAt(data, cut));
            while (BusFrameCodec.TryRead(ref reader, out var message))
            {
                Assert.True(message.Key.Length <= BusFrameCodec.MaxKeyBytes);
            }
        }
    }

    [Fact]
    public void Encode_and_decode_allocate_nothing_after_warm_up()
    {
        var message = Sample(BusMessageType.GrantE, "hot-key"u8.ToArray(), new byte[100]);
        var writer = new ArrayBufferWriter<byte>(4096);
        var frame = Encode(message);
        var split = Sequences.SplitAt(frame, 5, 30);
        long sum = 0;
        var allocated = AllocationProbe.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sum += RoundTrip(writer, in message, split);
            }
        });

        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    private static long RoundTrip(ArrayBufferWriter<byte> writer, in BusMessage message, ReadOnlySequence<byte> split)
    {
        writer.ResetWrittenCount();
        BusFrameCodec.Write(writer, in message);
        var reader = new SequenceReader<byte>(split);
        BusFrameCodec.TryRead(ref reader, out var decoded);
        return decoded.Value.Length + writer.WrittenCount;
    }
}
