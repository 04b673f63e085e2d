namespace Sinkron.Client;

/// <summary>
/// The sequence numbers of one session's lock requests that are still in flight, and the lowest of them: the
/// watermark sent with each request, below which the node may drop its cached results (exactly-once replies).
/// </summary>
/// <remarks>
/// A seq is numbered and registered in one step under the lock. Numbering first and registering after would let a
/// later seq announce a watermark above an earlier one that is not sent yet, and the node would refuse that one
/// as stale. Seqs rise, so the lowest only moves up: finding the next one scans each seq at most once in the
/// session's life, and nothing is allocated per request once the set has grown to the load.
/// </remarks>
internal sealed class InFlightSeqs
{
    private readonly HashSet<ulong> _open = [];
    private readonly Lock _gate = new();
    private ulong _last;
    private ulong _lowest = 1;

    /// <summary>Numbers a new request and returns it with the watermark to send: the lowest seq still in flight.</summary>
    public (ulong Seq, ulong AckedBelow) Open()
    {
        lock (_gate)
        {
            var seq = ++_last;
            if (_open.Count == 0)
            {
                _lowest = seq;
            }

            _open.Add(seq);
            return (seq, _lowest);
        }
    }

    /// <summary>The request has its final answer: it will not be retried.</summary>
    public void Close(ulong seq)
    {
        lock (_gate)
        {
            if (!_open.Remove(seq) || seq != _lowest)
            {
                return;
            }

            while (_open.Count > 0 && !_open.Contains(++_lowest))
            {
            }
        }
    }
}
