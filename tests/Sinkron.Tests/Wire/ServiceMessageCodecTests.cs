using System.Buffers;
using System.Text;
using Sinkron.Wire.Messages.Locks;
using Sinkron.Wire.Messages.Queues;

namespace Sinkron.Tests.Wire;

/// <summary>Round trips of the lock and queue messages through every segment split.</summary>
public class ServiceMessageCodecTests
{
    [Fact]
    public void Lock_request_round_trips_on_both_decode_paths()
    {
        var request = new LockRequest(7, 42, 40, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("orders/ü-1")), 1, -1);
        foreach (var decoded in CodecRoundTrip.Decode(request))
        {
            Assert.Equal((7ul, 42ul, 40ul, (byte)1, -1L), (decoded.Session, decoded.Seq, decoded.AckedBelow, decoded.Mode, decoded.WaitMs));
            Assert.Equal("orders/ü-1", Encoding.UTF8.GetString(decoded.Name.ToArray()));
        }
    }

    [Fact]
    public void Lock_request_with_a_bad_mode_or_oversize_name_is_rejected()
    {
        var badMode = Encode(new LockRequest(1, 1, 1, new ReadOnlySequence<byte>("x"u8.ToArray()), 1, 0));
        badMode[^9] = 2;
        Assert.False(LockRequest.TryRead(new ReadOnlySequence<byte>(badMode), out _));
        var longName = Encode(new LockRequest(1, 1, 1, new ReadOnlySequence<byte>(new byte[LockRequest.MaxNameBytes + 1]), 0, 0));
        Assert.False(LockRequest.TryRead(new ReadOnlySequence<byte>(longName), out _));
    }

    [Fact]
    public void Lock_reply_session_and_list_round_trip()
    {
        Assert.All(CodecRoundTrip.Decode(new LockReply(LockOutcome.Deadlock, 0, "3 -> 5 -> 3")), d => Assert.Equal(new LockReply(LockOutcome.Deadlock, 0, "3 -> 5 -> 3"), d));
        Assert.All(CodecRoundTrip.Decode(new LockSessionRequest(9, 2, 10_000)), d => Assert.Equal(new LockSessionRequest(9, 2, 10_000), d));
        var list = new LockListResponse([new LockEntry("a", [new LockHolder(1, 0, 5), new LockHolder(2, 0, 5)], [new LockWaiter(3, 1)])]);
        foreach (var decoded in CodecRoundTrip.Decode(list))
        {
            var entry = Assert.Single(decoded.Locks);
            Assert.Equal(list.Locks[0].Holders, entry.Holders);
            Assert.Equal(list.Locks[0].Waiters, entry.Waiters);
        }
    }

    [Fact]
    public void Queue_messages_round_trip()
    {
        foreach (var decoded in CodecRoundTrip.Decode(new QueueProduce("q", 10, [Encoding.UTF8.GetBytes("a"), Array.Empty<byte>()])))
        {
            Assert.Equal(("q", 10u, 2), (decoded.Queue, decoded.MaxLength, decoded.Bodies.Count));
            Assert.Equal("a"u8.ToArray(), decoded.Bodies[0].ToArray());
        }

        Assert.All(CodecRoundTrip.Decode(new QueueConsume("q", "g", "c", 5, 1000, true)), d => Assert.Equal(new QueueConsume("q", "g", "c", 5, 1000, true), d));
        Assert.All(CodecRoundTrip.Decode(new QueueAckRequest("q", "g", ["1-0", "2-0"])), d => Assert.Equal(["1-0", "2-0"], d.Ids));
        foreach (var decoded in CodecRoundTrip.Decode(new QueueMessages([new QueueMessage("1-0", 2, "hi"u8.ToArray())])))
        {
            var message = Assert.Single(decoded.Messages);
            Assert.Equal(("1-0", 2u), (message.Id, message.DeliveryCount));
            Assert.Equal("hi"u8.ToArray(), message.Body.ToArray());
        }
    }

    private static byte[] Encode(in LockRequest request)
    {
        var bytes = new byte[request.GetPayloadSize()];
        request.WritePayload(bytes);
        return bytes;
    }
}
