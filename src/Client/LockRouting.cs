using Sinkron.Wire.Messages;
using Sinkron.Wire.Transport;

namespace Sinkron.Client;

/// <summary>
/// Sends lock requests to the leader: remembers who it is, follows NOT_LEADER hints, and on a
/// dead or leaderless node moves to the next one with a short backoff until the retry budget is
/// spent. Requests carry their own sequence numbers, so sending one again is always safe.
/// </summary>
internal sealed class LockRouting(SinkronClient client)
{
    // Short on purpose: while a cluster elects a leader (a few hundred ms) a retry is a cheap
    // NOT_LEADER answer, and a long backoff would add most of its length to every failover.
    private const int MaxRetryDelayMs = 50;

    private WireEndpoint? _leader;
    private int _next;

    public async Task<TResponse> SendAsync<TRequest, TResponse>(MessageType type, TRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
        where TRequest : IWireMessage<TRequest>
        where TResponse : IWireMessage<TResponse>
    {
        var nodes = client.Options.LockNodes;
        if (nodes.Count == 0)
        {
            throw new SinkronException(ErrorCode.InvalidArgument, "no lock nodes configured (SinkronClientOptions.LockNodes)");
        }

        var deadline = Environment.TickCount64 + (long)client.Options.LockRetryBudget.TotalMilliseconds;
        var delay = 10;
        while (true)
        {
            var target = _leader ?? nodes[_next % nodes.Count];
            try
            {
                var connection = await client.Channel(target).GetConnectionAsync(cancellationToken);
                var response = await connection.SendAsync<TRequest, TResponse>(type, request, cancellationToken, timeout);
                _leader = target;
                return response;
            }
            catch (SinkronException ex) when (ex.IsRetryable && Environment.TickCount64 < deadline && !cancellationToken.IsCancellationRequested)
            {
                if (ex.Code == ErrorCode.NotLeader && WireEndpoint.TryParse(ex.Hint, out var leader))
                {
                    _leader = leader;
                    continue;
                }

                _leader = null;
                Interlocked.Increment(ref _next);
                await Task.Delay(delay, cancellationToken);
                delay = Math.Min(delay * 2, MaxRetryDelayMs);
            }
        }
    }
}
