using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;

namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// A deliberately dumb TLS client for feeding a node bytes the real client would never send:
/// raw writes, and reads of whole frames until the node closes.
/// </summary>
internal sealed class RawTlsClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _ssl;
    private byte[] _buffer = new byte[64 * 1024];
    private int _filled;

    private RawTlsClient(Socket socket, SslStream ssl)
    {
        _socket = socket;
        _ssl = ssl;
    }

    public static async Task<RawTlsClient> ConnectAsync(int port, TlsMaterial? identity, TlsMaterial trust)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ApplicationProtocols = [TlsPolicy.Alpn],
            CertificateChainPolicy = TlsPolicy.ChainPolicy(trust.Authority, peerIsServer: true),
        };
        if (identity is not null)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(identity.Certificate, null, offline: true);
        }

        await ssl.AuthenticateAsClientAsync(options);
        return new RawTlsClient(socket, ssl);
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _ssl.WriteAsync(bytes);
        await _ssl.FlushAsync();
    }

    public Task SendAsync<T>(T message, ulong requestId = 1, FrameFlags flags = FrameFlags.None) where T : IWireMessage<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(buffer, requestId, flags, message);
        return SendAsync(buffer.WrittenSpan.ToArray());
    }

    public Task HelloAsync(ushort version = Hello.CurrentVersion) => SendAsync(new Hello(version, PeerRole.Client, ""), 0);

    /// <summary>Reads frames until the node closes or the timeout passes; a TLS failure on read counts as a close.</summary>
    public async Task<(List<(FrameHeader Header, byte[] Payload)> Frames, bool Closed)> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var frames = new List<(FrameHeader, byte[])>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (_filled == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var read = await _ssl.ReadAsync(_buffer.AsMemory(_filled), cts.Token);
                if (read == 0)
                {
                    return (frames, true);
                }

                _filled += read;
                Drain(frames);
            }
        }
        catch (OperationCanceledException)
        {
            return (frames, false);
        }
        catch (IOException)
        {
            return (frames, true);
        }
    }

    /// <summary>Reads exactly one frame.</summary>
    public async Task<(FrameHeader Header, byte[] Payload)> ReadFrameAsync(TimeSpan timeout)
    {
        var frames = new List<(FrameHeader, byte[])>();
        using var cts = new CancellationTokenSource(timeout);
        while (frames.Count == 0)
        {
            var read = await _ssl.ReadAsync(_buffer.AsMemory(_filled), cts.Token);
            if (read == 0)
            {
                throw new IOException("closed before a frame arrived");
            }

            _filled += read;
            Drain(frames, max: 1);
        }

        return frames[0];
    }

    private void Drain(List<(FrameHeader, byte[])> frames, int max = int.MaxValue)
    {
        var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
        while (frames.Count < max && FrameParser.TryParse(ref sequence, int.MaxValue, out var header, out var payload, out _) == ParseStatus.Complete)
        {
            frames.Add((header, payload.ToArray()));
        }

        var consumed = _filled - (int)sequence.Length;
        Array.Copy(_buffer, consumed, _buffer, 0, (int)sequence.Length);
        _filled = (int)sequence.Length;
    }

    public async Task ShutdownWriteAsync() => await _ssl.ShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync();
        _socket.Dispose();
    }
}
