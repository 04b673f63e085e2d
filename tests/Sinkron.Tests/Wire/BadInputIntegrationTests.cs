using System.Buffers.Binary;
using System.Security.Authentication;
using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Transport;

namespace Sinkron.Tests.Wire;

/// <summary>
/// Each kind of bad input against a real node over mTLS: the documented error (where the peer
/// can still read one), the connection closed, a log line, and then a well-behaved second
/// connection that must still be served.
/// </summary>
public class BadInputIntegrationTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public Task Oversize_length_gets_frame_too_large() => ExpectErrorAndClose(ErrorCode.FrameTooLarge, afterHello: true, Header(1_000_000));

    [Fact]
    public Task Zero_length_gets_bad_frame() => ExpectErrorAndClose(ErrorCode.BadFrame, afterHello: true, Header(0));

    [Fact]
    public Task Negative_length_gets_frame_too_large() => ExpectErrorAndClose(ErrorCode.FrameTooLarge, afterHello: true, Header(0xFFFF_FFF0));

    [Fact]
    public Task Unknown_type_gets_unknown_type() => ExpectErrorAndClose(ErrorCode.UnknownType, afterHello: true, Header(16, type: 0x7777));

    [Fact]
    public Task Frame_before_hello_gets_hello_required() => ExpectErrorAndClose(ErrorCode.HelloRequired, afterHello: false, Frame(new Ping(1)));

    [Fact]
    public Task Wrong_protocol_version_gets_version_mismatch() =>
        ExpectErrorAndClose(ErrorCode.VersionMismatch, afterHello: false, Frame(new Hello(99, PeerRole.Client, "")));

    [Fact]
    public Task Malformed_payload_gets_bad_payload() => ExpectErrorAndClose(ErrorCode.BadPayload, afterHello: true, Header(16 + 3, type: (ushort)MessageType.Ping).Concat(new byte[3]).ToArray());

    [Fact]
    public Task Client_certificate_sending_node_only_type_gets_forbidden() =>
        ExpectErrorAndClose(ErrorCode.Forbidden, afterHello: true, Header(16, type: (ushort)MessageType.Raft));

    [Fact]
    public async Task Random_garbage_gets_an_error_and_a_close()
    {
        var random = new Random(7);
        var garbage = new byte[512];
        random.NextBytes(garbage);
        await using (var raw = await RawTlsClient.ConnectAsync(fixture.Node.Port, fixture.Client, fixture.Client))
        {
            await raw.HelloAsync();
            await raw.SendAsync(garbage);
            var (frames, closed) = await raw.ReadUntilClosedAsync(Wait);
            Assert.True(closed, "the node must close a connection that sent garbage");
            Assert.Contains(frames, f => f.Header.Type == MessageType.Error);
        }

        await AssertStillServes();
    }

    [Fact]
    public async Task Truncated_frame_then_end_of_stream_is_logged_and_closed()
    {
        await using (var raw = await RawTlsClient.ConnectAsync(fixture.Node.Port, fixture.Client, fixture.Client))
        {
            await raw.HelloAsync();
            await raw.SendAsync(Header(100, type: (ushort)MessageType.Ping).Take(16 + 10).ToArray());
            await raw.ShutdownWriteAsync();
            var (_, closed) = await raw.ReadUntilClosedAsync(Wait);
            Assert.True(closed);
        }

        await Poll.UntilAsync(() => fixture.Node.Log.Contains("ended inside a frame", StringComparison.Ordinal), Wait, "the truncation log line");
        await AssertStillServes();
    }

    [Fact]
    public async Task No_client_certificate_is_refused_logged_and_audited()
    {
        var closedEarly = false;
        try
        {
            await using var raw = await RawTlsClient.ConnectAsync(fixture.Node.Port, identity: null, fixture.Client);
            await raw.HelloAsync();
            var (frames, closed) = await raw.ReadUntilClosedAsync(Wait);
            closedEarly = closed && frames.Count == 0;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            closedEarly = true;
        }

        Assert.True(closedEarly, "a connection without a client certificate must not get any frame");
        await AssertRefusalRecorded();
        await AssertStillServes();
    }

    [Fact]
    public async Task Certificate_from_another_ca_is_refused_and_the_client_says_why()
    {
        await using var client = SinkronClient.Create(new SinkronClientOptions { CertificateDirectory = TestCertificates.ForeignDirectory });
        var error = await Assert.ThrowsAsync<SinkronException>(() => client.PingAsync(Endpoint));
        Assert.Equal(ErrorCode.AuthenticationFailed, error.Code);
        Assert.Contains("refused this client's certificate", error.Message, StringComparison.Ordinal);
        await AssertRefusalRecorded();
        await AssertStillServes();
    }

    [Fact]
    public async Task Many_tasks_pipelining_over_one_connection_each_get_their_own_response()
    {
        await using var connection = await WireConnection.ConnectAsync(Endpoint, fixture.Client, new WireClientOptions());
        var tasks = new Task[100];
        for (var t = 0; t < tasks.Length; t++)
        {
            var task = (ulong)t;
            tasks[t] = Task.Run(async () =>
            {
                for (ulong i = 0; i < 100; i++)
                {
                    var token = (task << 32) | i;
                    var pong = await connection.SendAsync<Ping, Ping>(new Ping(token));
                    Assert.Equal(token, pong.Token);
                }
            });
        }

        await Task.WhenAll(tasks);
    }

    private WireEndpoint Endpoint => new("127.0.0.1", fixture.Node.Port);

    private async Task ExpectErrorAndClose(ErrorCode expected, bool afterHello, byte[] bytes)
    {
        await using (var raw = await RawTlsClient.ConnectAsync(fixture.Node.Port, fixture.Client, fixture.Client))
        {
            if (afterHello)
            {
                await raw.HelloAsync();
            }

            await raw.SendAsync(bytes);
            var (frames, closed) = await raw.ReadUntilClosedAsync(Wait);
            Assert.True(closed, "the node must close the connection");
            var error = Assert.Single(frames, f => f.Header.Type == MessageType.Error);
            Assert.True(ErrorMessage.TryRead(new(error.Payload), out var message));
            Assert.Equal(expected, message.Code);
            await Poll.UntilAsync(() => fixture.Node.Log.Contains(expected.ToString(), StringComparison.Ordinal), Wait, $"a log line with {expected}");
        }

        await AssertStillServes();
    }

    private async Task AssertRefusalRecorded()
    {
        await Poll.UntilAsync(() => fixture.Node.Log.Contains("refused connection", StringComparison.Ordinal), Wait, "the refusal log line");
        await Poll.UntilAsync(() => File.Exists(fixture.AuditPath) && ReadShared(fixture.AuditPath).Contains("\"refused:", StringComparison.Ordinal), Wait, "the refusal audit line");
    }

    private async Task AssertStillServes()
    {
        await using var connection = await WireConnection.ConnectAsync(Endpoint, fixture.Client, new WireClientOptions());
        var pong = await connection.SendAsync<Ping, Ping>(new Ping(77));
        Assert.Equal(77ul, pong.Token);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static byte[] Header(uint length, ushort type = (ushort)MessageType.Ping)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 5);
        return bytes;
    }

    private static byte[] Frame<T>(T message) where T : IWireMessage<T>
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.Write(buffer, 5, FrameFlags.None, message);
        return buffer.WrittenSpan.ToArray();
    }
}
