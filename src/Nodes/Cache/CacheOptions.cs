namespace Sinkron.Nodes.Cache;

internal sealed record CacheOptions
{
    /// <summary>Most lines a node keeps (valid lines plus lines waiting on a transaction).</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Most key + value bytes a node keeps in its lines.</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// When set, every Put and Delete is stored at the home before it is acknowledged and the writer
    /// ends in E: a crash of the writer loses nothing. Without it, writes stay in the writer's M line
    /// until written back, and die with the writer if it crashes.
    /// </summary>
    public bool WriteThrough { get; init; }
}
