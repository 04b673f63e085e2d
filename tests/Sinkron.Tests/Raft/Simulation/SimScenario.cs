namespace Sinkron.Tests.Raft.Simulation;

/// <summary>The knobs of one simulated world. Times are simulated milliseconds; a node ticks every 10 ms.</summary>
internal sealed record SimScenario(string Name, int Nodes, int Seeds)
{
    public int ChaosMs { get; init; } = 2_000;

    /// <summary>After healing, a new proposal must be applied everywhere within this time.</summary>
    public int LivenessDeadlineMs { get; init; } = 6_000;

    public int MinDelayMs { get; init; } = 1;
    public int MaxDelayMs { get; init; } = 12;
    public double SpikeDelay { get; init; } = 0.01;
    public double Loss { get; init; } = 0.03;
    public double Duplicate { get; init; } = 0.02;
    public int MaxFsyncMs { get; init; } = 8;

    // Per 10 ms chaos step.
    public double Propose { get; init; } = 0.3;
    public double Read { get; init; } = 0.05;
    public double Partition { get; init; }
    public double Heal { get; init; } = 0.02;
    public double Crash { get; init; }
    public double Restart { get; init; } = 0.03;
    public double Transfer { get; init; }

    /// <summary>A node snapshots its state machine every this many applied entries (0 = never).</summary>
    public int CompactEvery { get; init; }

    public int MaxSnapshotChunk { get; init; } = 64;
    public int MaxEntriesPerAppend { get; init; } = 8;
    public int MaxInflightAppends { get; init; } = 4;

    public override string ToString() => Name;

    public static readonly SimScenario[] All =
    [
        new("steady3", 3, 250),
        new("chaos3", 3, 600) { Partition = 0.02, Crash = 0.01, Transfer = 0.01, CompactEvery = 20 },
        new("chaos5", 5, 500) { Partition = 0.02, Crash = 0.01, Transfer = 0.01, CompactEvery = 20 },
        new("snapshots3", 3, 400) { Partition = 0.01, Crash = 0.02, Restart = 0.05, CompactEvery = 5, MaxSnapshotChunk = 16, Loss = 0.05 },
        new("transfer5", 5, 250) { Partition = 0.01, Transfer = 0.05, Loss = 0.01, CompactEvery = 30 },
        new("storm5", 5, 300) { ChaosMs = 3_000, Partition = 0.05, Heal = 0.03, Crash = 0.02, Restart = 0.04, Transfer = 0.02, Loss = 0.15, Duplicate = 0.05, SpikeDelay = 0.05, MaxFsyncMs = 30, CompactEvery = 10, MaxSnapshotChunk = 32 },
    ];
}
