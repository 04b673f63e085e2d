namespace Sinkron.Nodes.Ring;

internal readonly record struct KeyMove(string Key, string From, string To);

/// <summary>What a membership change does to a set of keys: which move, and from where to where.</summary>
internal sealed record RingMovementReport(int KeyCount, IReadOnlyList<KeyMove> Moves)
{
    public double MovedFraction => KeyCount == 0 ? 0 : (double)Moves.Count / KeyCount;

    /// <summary>How many keys moved from <paramref name="from"/> to <paramref name="to"/> (null = any node).</summary>
    public int Count(string? from, string? to)
    {
        var n = 0;
        foreach (var move in Moves)
        {
            if ((from is null || move.From == from) && (to is null || move.To == to))
            {
                n++;
            }
        }

        return n;
    }
}

internal static class RingMovement
{
    public static RingMovementReport Compute(HashRing before, HashRing after, IReadOnlyList<string> keys)
    {
        var moves = new List<KeyMove>();
        foreach (var key in keys)
        {
            var from = before.Lookup(key);
            var to = after.Lookup(key);
            if (from != to)
            {
                moves.Add(new KeyMove(key, from, to));
            }
        }

        return new RingMovementReport(keys.Count, moves);
    }
}
