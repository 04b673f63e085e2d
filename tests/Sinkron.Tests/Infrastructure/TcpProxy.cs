using System.Net;
using System.Net.Sockets;

namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder standing in for one network link. <see cref="Drop"/> cuts it like a
/// dead cable (open connections are reset, new ones are closed at once); <see cref="Hold"/> keeps
/// connections open but stops moving bytes, so the sender sees silence; <see cref="Resume"/>
/// heals either. It forwards opaque bytes, so TLS runs end to end through it.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Client, Socket Server)> _links = [];
    private readonly Task _acceptLoop;
    private TaskCompletionSource _flowing = NewGate(open: true);
    private volatile ProxyMode _mode = ProxyMode.Forward;

    public TcpProxy(int targetPort, int port = 0)
    {
        TargetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public int TargetPort { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Resets every open connection and refuses traffic until <see cref="Resume"/>.</summary>
    public void Drop()
    {
        _mode = ProxyMode.Drop;
        CloseLinks();
    }

    /// <summary>Stops forwarding without closing anything: bytes wait in socket buffers until <see cref="Resume"/>.</summary>
    public void Hold()
    {
        lock (_links)
        {
            _mode = ProxyMode.Hold;
            if (_flowing.Task.IsCompleted)
            {
                _flowing = NewGate(open: false);
            }
        }
    }

    public void Resume()
    {
        lock (_links)
        {
            _mode = ProxyMode.Forward;
            _flowing.TrySetResult();
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_mode == ProxyMode.Drop)
            {
                Reset(client);
                continue;
            }

            _ = LinkAsync(client);
        }
    }

    private async Task LinkAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, TargetPort, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Reset(client);
            server.Dispose();
            return;
        }

        lock (_links)
        {
            if (_mode == ProxyMode.Drop)
            {
                Reset(client);
                Reset(server);
                return;
            }

            _links.Add((client, server));
        }

        await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
        lock (_links)
        {
            _links.Remove((client, server));
        }

        Reset(client);
        Reset(server);
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                Task gate;
                lock (_links)
                {
                    gate = _flowing.Task;
                }

                await gate.WaitAsync(_stop.Token);
                if (_mode == ProxyMode.Drop)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Reset(from);
            Reset(to);
        }
    }

    private void CloseLinks()
    {
        lock (_links)
        {
            foreach (var (client, server) in _links)
            {
                Reset(client);
                Reset(server);
            }

            _links.Clear();
            _flowing.TrySetResult();
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseLinks();
        await _acceptLoop;
        _stop.Dispose();
    }

    private enum ProxyMode
    {
        Forward,
        Drop,
        Hold,
    }
}
