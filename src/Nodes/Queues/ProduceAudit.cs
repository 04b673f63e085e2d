using System.Collections.Concurrent;
using Sinkron.Nodes.Security;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// Audits produces as one line per principal and queue per flush (every second), with the message
/// and request counts and the id range, instead of one record per produce on the hot path.
/// </summary>
internal sealed class ProduceAudit(AuditLog audit)
{
    private readonly ConcurrentDictionary<(string Principal, string Queue), Tally> _tallies = new();

    public void Record(string principal, string queue, string[] ids)
    {
        while (true)
        {
            var tally = _tallies.GetOrAdd((principal, queue), static _ => new Tally());
            lock (tally)
            {
                // A tally removed by Flush after this lookup: take the fresh one.
                if (tally.Removed)
                {
                    continue;
                }

                tally.Requests++;
                tally.Messages += ids.Length;
                tally.First ??= ids[0];
                tally.Last = ids[^1];
                return;
            }
        }
    }

    public void Flush()
    {
        foreach (var (key, tally) in _tallies)
        {
            long requests, messages;
            string? first, last;
            lock (tally)
            {
                (requests, messages, first, last) = (tally.Requests, tally.Messages, tally.First, tally.Last);
                (tally.Requests, tally.Messages, tally.First, tally.Last) = (0, 0, null, null);
                if (requests == 0)
                {
                    // Idle since the last flush: forget the pair so the table stays small.
                    tally.Removed = true;
                    _tallies.TryRemove(new KeyValuePair<(string, string), Tally>(key, tally));
                    continue;
                }
            }

            audit.Write(key.Principal, "queue.produce", key.Queue, $"ok {messages} message(s) in {requests} request(s), ids {first}..{last}");
        }
    }

    private sealed class Tally
    {
        public long Requests;
        public long Messages;
        public string? First;
        public string? Last;
        public bool Removed;
    }
}
