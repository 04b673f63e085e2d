using System.Security.Cryptography;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Client;

/// <summary>Opening the session on first use, and again after it was lost.</summary>
public sealed partial class LockClient
{
    private async Task<LockSession> SessionAsync(CancellationToken cancellationToken)
    {
        var current = _session;
        if (current is { IsLost: false })
        {
            return current;
        }

        await _sessionGate.WaitAsync(cancellationToken);
        try
        {
            current = _session;
            if (current is { IsLost: false })
            {
                return current;
            }

            // A random client id makes a retried open (after a failover) return the same session, not a second one.
            var clientId = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;
            var ttl = _client.Options.LockSessionTtl;
            var reply = await _routing.SendAsync<LockSessionRequest, LockReply>(MessageType.LockOpenSession,
                new LockSessionRequest(clientId, 0, (uint)ttl.TotalMilliseconds), null, cancellationToken);
            if (reply.Outcome != LockOutcome.SessionOpened)
            {
                throw Failure(reply);
            }

            var session = new LockSession(reply.Value, ttl);
            session.StartKeepAlive(_routing);
            _session = session;
            return session;
        }
        finally
        {
            _sessionGate.Release();
        }
    }
}
