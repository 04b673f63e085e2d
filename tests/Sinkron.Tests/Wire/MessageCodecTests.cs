using CsCheck;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Wire;

public class MessageCodecTests
{
    [Fact]
    public void Hello_round_trips()
    {
        foreach (var decoded in CodecRoundTrip.Decode(new Hello(1, PeerRole.Admin, "lock-ü-1")))
        {
            Assert.Equal(new Hello(1, PeerRole.Admin, "lock-ü-1"), decoded);
        }
    }

    [Fact]
    public void Error_round_trips()
    {
        var error = new ErrorMessage(ErrorCode.NotLeader, "not the leader", "127.0.0.1:7002");
        Assert.All(CodecRoundTrip.Decode(error), d => Assert.Equal(error, d));
    }

    [Fact]
    public void Ping_round_trips() => Assert.All(CodecRoundTrip.Decode(new Ping(ulong.MaxValue)), d => Assert.Equal(ulong.MaxValue, d.Token));

    [Fact]
    public void Status_request_is_empty() => Assert.All(CodecRoundTrip.Decode(default(StatusRequest)), d => Assert.Equal(default, d));

    [Fact]
    public void Status_response_round_trips()
    {
        var status = new StatusResponse("lock", "lock1", "1.0.0", 1234, 5, [new("term", "7"), new("commit", "42")]);
        foreach (var decoded in CodecRoundTrip.Decode(status))
        {
            Assert.Equal(status.Role, decoded.Role);
            Assert.Equal(status.NodeId, decoded.NodeId);
            Assert.Equal(status.UptimeMs, decoded.UptimeMs);
            Assert.Equal(status.Connections, decoded.Connections);
            Assert.Equal(status.Fields, decoded.Fields);
            Assert.Equal("42", decoded.Field("commit"));
        }
    }

    [Fact]
    public void Hello_and_error_round_trip_for_any_text() =>
        Gen.Select(Gen.UShort, Gen.String, Gen.String).Sample((version, a, b) =>
        {
            var hello = new Hello(version, PeerRole.Node, a);
            var error = new ErrorMessage(ErrorCode.InvalidArgument, a, b);
            return CodecRoundTrip.Decode(hello).All(d => d == hello) && CodecRoundTrip.Decode(error).All(d => d == error);
        }, iter: 200);

    [Fact]
    public void Decoders_reject_garbage_without_throwing() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var sequence = new System.Buffers.ReadOnlySequence<byte>(bytes);
            _ = Hello.TryRead(sequence, out _);
            _ = ErrorMessage.TryRead(sequence, out _);
            _ = Ping.TryRead(sequence, out _);
            _ = StatusResponse.TryRead(sequence, out _);
        }, iter: 2000);

    [Fact]
    public void Invalid_utf8_is_a_malformed_payload()
    {
        byte[] payload = [1, 0, 1, 2, 0, 0xC3, 0x28];
        Assert.False(Hello.TryRead(new System.Buffers.ReadOnlySequence<byte>(payload), out _));
    }
}
