using System.Buffers;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Server;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// Bus links: each node dials each peer once with its node certificate and streams CACHE_BUS frames
/// on that connection; the peer's frames arrive on the connection it dialled. A CACHE_BUS frame
/// carries zero or more bus frames back to back; an empty one announces a fresh connection.
/// A link is up while both directions are open. When either fails the link is reset: both
/// connections are closed (so the peer resets too) and the core runs <c>PeerDown</c>; it runs
/// <c>PeerUp</c> once both directions are open again.
/// </summary>
internal sealed partial class CacheService
{
    private const int MaxFramePayload = 256 * 1024;
    private const long StableLinkMs = 1000;
    private static readonly TimeSpan FirstRedial = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastRedial = TimeSpan.FromSeconds(1);

    private void OnBus(ServerConnection connection, in ReadOnlySequence<byte> payload)
    {
        var claimed = connection.PeerNodeId;
        if (!topology.TryFind(claimed, out var peer) || peer == topology.SelfId || connection.Identity.Name != claimed)
        {
            var reason = $"'{claimed}' is not a peer of this cache cluster, or its certificate '{connection.Identity.Name}' does not match";
            CacheLog.BusRefused(logger, connection.Id, connection.Identity.Subject, claimed, reason);
            connection.Fail(0, ErrorCode.Forbidden, reason);
            return;
        }

        lock (gate)
        {
            var link = links[peer]!;
            if (ReferenceEquals(connection.ServiceState, PeerLink.Retired))
            {
                return;
            }

            if (!ReferenceEquals(link.Inbound, connection))
            {
                // A second connection from a peer means it restarted: whatever the old link carried is void.
                if (link.Inbound is not null)
                {
                    TakeDown(link, "it opened a new connection");
                }

                link.Inbound = connection;
                connection.ServiceState = link;
                TryUp(link);
            }

            var reader = new SequenceReader<byte>(payload);
            while (!reader.End)
            {
                if (BusFrameCodec.Read(ref reader, out var message) != BusReadStatus.Ok || message.From != peer)
                {
                    TakeDown(link, "it sent a malformed bus frame");
                    break;
                }

                core.Receive(in message);
            }

            Drain();
        }
    }

    /// <summary>Writes each peer's messages, in the core's order, as few CACHE_BUS frames as fit.</summary>
    private void SendBus(List<BusMessage> messages)
    {
        foreach (var link in links)
        {
            var index = link?.Outbound is null ? -1 : NextFor(messages, link.Id, 0);
            if (index < 0)
            {
                continue;
            }

            var outbox = link!.Outbound!.Outbox;
            while (index >= 0)
            {
                using var frame = outbox.BeginFrame(MessageType.CacheBus, FrameFlags.None, 0);
                var bytes = 0L;
                do
                {
                    var message = messages[index];
                    BusFrameCodec.Write(frame.Writer, in message);
                    bytes += BusFrameCodec.HeaderSize + message.Key.Length + message.Value.Length;
                    index = NextFor(messages, link.Id, index + 1);
                }
                while (index >= 0 && bytes < MaxFramePayload);
            }

            toFlush.Add(outbox);
        }
    }

    private static int NextFor(List<BusMessage> messages, int peer, int start)
    {
        for (var i = start; i < messages.Count; i++)
        {
            if (messages[i].To == peer)
            {
                return i;
            }
        }

        return -1;
    }

    private void TryUp(PeerLink link)
    {
        if (link.Up || link.Inbound is null || link.Outbound is null)
        {
            return;
        }

        link.Up = true;
        core.PeerUp(link.Id);
        CacheLog.LinkUp(logger, link.Name);
    }

    /// <summary>Resets the link: closes both directions, so the peer resets too, and tells the core. Under the lock.</summary>
    private void TakeDown(PeerLink link, string reason)
    {
        if (link.Inbound is { } inbound)
        {
            inbound.ServiceState = PeerLink.Retired;
            inbound.Fail(0, ErrorCode.Unavailable, $"bus link reset by {settings.Id}: {reason}");
            link.Inbound = null;
        }

        if (link.Outbound is not null)
        {
            link.Reset?.Cancel();
            link.Reset = null;
            link.Outbound = null;
        }

        if (link.Up)
        {
            link.Up = false;
            core.PeerDown(link.Id);
            CacheLog.LinkDown(logger, link.Name, reason);
            Drain();
        }
    }

    /// <summary>Dials the peer, keeps the connection until it fails or the link is reset, and dials again with backoff.</summary>
    private async Task RunLinkAsync(PeerLink link, CancellationToken stoppingToken)
    {
        var options = new WireClientOptions { ConnectTimeout = TimeSpan.FromSeconds(2) };
        var delay = FirstRedial;
        while (!stoppingToken.IsCancellationRequested)
        {
            WireConnection connection;
            try
            {
                connection = await WireConnection.ConnectAsync(link.Endpoint, tls, options, settings.Id, stoppingToken);
            }
            catch (SinkronException ex)
            {
                CacheLog.DialFailed(logger, link.Name, link.Endpoint.ToString(), ex.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRedial.Ticks));
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var connectedAt = Environment.TickCount64;
            using var reset = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, connection.Closing);
            lock (gate)
            {
                link.Outbound = connection;
                link.Reset = reset;
                using (connection.Outbox.BeginFrame(MessageType.CacheBus, FrameFlags.None, 0))
                {
                }

                connection.Outbox.Flush();
                TryUp(link);
                Drain();
            }

            // Yield: the reset may be cancelled under the lock, and this loop must not continue inside it.
            await Task.Delay(Timeout.Infinite, reset.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
            lock (gate)
            {
                if (ReferenceEquals(link.Outbound, connection))
                {
                    TakeDown(link, stoppingToken.IsCancellationRequested ? "this node is stopping" : "the connection to it closed");
                }
            }

            await connection.DisposeAsync();

            // A peer that refuses us right after the handshake (say, we are not in its --peers) must not be redialled in a tight loop.
            if (Environment.TickCount64 - connectedAt < StableLinkMs)
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRedial.Ticks));
            }
            else
            {
                delay = FirstRedial;
            }
        }
    }
}
