namespace Sinkron.Nodes.Raft.Host;

/// <summary>Which followers a leader sends to at once and which trail (see RaftHost.Trailing.cs); pure, for tests.</summary>
internal static class TrailingChoice
{
    /// <summary>
    /// Picks <paramref name="needed"/> prompt followers among the fresh ones: those prompt now keep their
    /// place, so a trailing follower's bundle acknowledgement does not swap the roles back and forth; the
    /// freshest fill the rest. With too few fresh followers none trails.
    /// </summary>
    /// <param name="needed">Followers whose acknowledgements make a majority with the leader.</param>
    /// <param name="fresh">Per follower: connected and acknowledged recently.</param>
    /// <param name="lastAcknowledged">Per follower: when it last acknowledged.</param>
    /// <param name="trailing">Per follower: whether it trails now; set to whether it trails from here on.</param>
    public static void Choose(int needed, ReadOnlySpan<bool> fresh, ReadOnlySpan<long> lastAcknowledged, Span<bool> trailing)
    {
        Span<bool> prompt = stackalloc bool[trailing.Length];
        for (var chosen = 0; chosen < needed; chosen++)
        {
            var best = -1;
            for (var i = 0; i < trailing.Length; i++)
            {
                if (!prompt[i] && fresh[i] && (best < 0 || RanksAbove(i, best, lastAcknowledged, trailing)))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                trailing.Clear();
                return;
            }

            prompt[best] = true;
        }

        for (var i = 0; i < trailing.Length; i++)
        {
            trailing[i] = !prompt[i];
        }
    }

    private static bool RanksAbove(int a, int b, ReadOnlySpan<long> lastAcknowledged, ReadOnlySpan<bool> trailing)
        => trailing[a] != trailing[b] ? !trailing[a] : lastAcknowledged[a] > lastAcknowledged[b];
}
