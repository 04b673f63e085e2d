namespace Sinkron.Tests.Raft.Simulation;

internal sealed class SimStats
{
    public long Elections { get; set; }
    public long Applied { get; set; }
    public long SnapshotsInstalled { get; set; }
    public long ReadsServed { get; set; }
    public long Starts { get; set; }

    public void Add(SimStats other)
    {
        Elections += other.Elections;
        Applied += other.Applied;
        SnapshotsInstalled += other.SnapshotsInstalled;
        ReadsServed += other.ReadsServed;
        Starts += other.Starts;
    }

    public override string ToString() =>
        $"{Elections} elections, {Applied} entries applied, {SnapshotsInstalled} snapshots installed, {ReadsServed} reads served, {Starts} node starts";
}
