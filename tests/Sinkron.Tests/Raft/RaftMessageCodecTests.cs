using System.Buffers;
using Sinkron.Nodes.Raft;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Raft;

public sealed class RaftMessageCodecTests
{
    [Fact]
    public void Every_message_type_round_trips()
    {
        foreach (var type in Enum.GetValues<RaftMessageType>())
        {
            if (type == RaftMessageType.None)
            {
                continue;
            }

            var m = Sample(type);
            AssertSame(m, RoundTrip(m, segmentSize: 0));
        }
    }

    [Fact]
    public void Round_trips_over_one_byte_segments()
    {
        var m = Sample(RaftMessageType.Append);
        AssertSame(m, RoundTrip(m, segmentSize: 1));
        var s = Sample(RaftMessageType.Snapshot);
        AssertSame(s, RoundTrip(s, segmentSize: 3));
    }

    [Fact]
    public void Truncated_input_is_refused_and_the_reader_rewound()
    {
        var bytes = Encode(Sample(RaftMessageType.Append));
        for (var length = 0; length < bytes.Length; length++)
        {
            var reader = new SequenceReader<byte>(Sequences.Split(bytes.AsSpan(0, length), 7));
            Assert.False(RaftMessageCodec.TryRead(ref reader, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void Two_messages_back_to_back_read_in_turn()
    {
        var a = Sample(RaftMessageType.Append);
        var b = Sample(RaftMessageType.HeartbeatResponse);
        var bytes = Encode(a).Concat(Encode(b)).ToArray();
        var reader = new SequenceReader<byte>(Sequences.Split(bytes, 5));
        Assert.True(RaftMessageCodec.TryRead(ref reader, out var first));
        Assert.True(RaftMessageCodec.TryRead(ref reader, out var second));
        Assert.True(reader.End);
        AssertSame(a, first);
        AssertSame(b, second);
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var rng = new Random(1234);
        var valid = Encode(Sample(RaftMessageType.Append));
        for (var i = 0; i < 20_000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[rng.Next(0, 200)];
                rng.NextBytes(bytes);
            }
            else
            {
                // Mostly valid input with a few flipped bytes reaches deeper into the parser.
                bytes = (byte[])valid.Clone();
                for (var f = 0; f < 3; f++)
                {
                    bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                }
            }

            var reader = new SequenceReader<byte>(Sequences.Split(bytes, 1 + rng.Next(8)));
            if (!RaftMessageCodec.TryRead(ref reader, out _))
            {
                Assert.Equal(0, reader.Consumed);
            }
        }
    }

    private static RaftMessage Sample(RaftMessageType type) => new()
    {
        Type = type,
        Flags = RaftMessageFlags.Reject | RaftMessageFlags.Done,
        From = 1,
        To = 3,
        Term = 0x0102030405060708,
        Index = 42,
        LogTerm = 7,
        Commit = 40,
        RejectHint = 38,
        Context = ulong.MaxValue,
        Offset = 1 << 20,
        Entries = type == RaftMessageType.Append
            ? new LogEntry[]
            {
                new(43, 7, EntryKind.Noop, default),
                new(44, 7, EntryKind.Command, new byte[] { 1, 2, 3 }),
                new(45, 8, EntryKind.Command, new byte[300]),
                new(46, 8, EntryKind.Load, new byte[64]),
            }
            : default,
        Data = type == RaftMessageType.Snapshot ? new byte[] { 9, 8, 7, 6, 5 } : default,
    };

    private static byte[] Encode(in RaftMessage m)
    {
        var w = new ArrayBufferWriter<byte>();
        RaftMessageCodec.Write(w, in m);
        return w.WrittenSpan.ToArray();
    }

    private static RaftMessage RoundTrip(in RaftMessage m, int segmentSize)
    {
        var bytes = Encode(in m);
        var sequence = segmentSize == 0 ? new ReadOnlySequence<byte>(bytes) : Sequences.Split(bytes, segmentSize);
        var reader = new SequenceReader<byte>(sequence);
        Assert.True(RaftMessageCodec.TryRead(ref reader, out var read));
        Assert.True(reader.End);
        return read;
    }

    private static void AssertSame(in RaftMessage expected, in RaftMessage actual)
    {
        Assert.Equal(expected with { Entries = default, Data = default }, actual with { Entries = default, Data = default });
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
        var e = expected.Entries.Span;
        var a = actual.Entries.Span;
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            Assert.Equal((e[i].Index, e[i].Term, e[i].Kind), (a[i].Index, a[i].Term, a[i].Kind));
            Assert.Equal(e[i].Data.ToArray(), a[i].Data.ToArray());
        }
    }
}
