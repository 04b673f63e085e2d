using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Sinkron.Tests.Raft.Simulation;

/// <summary>
/// Runs every scenario over many seeds. Replay one seed (with an event trace in the failure) with
/// <c>SINKRON_SIM_SEED=n SINKRON_SIM_SCENARIO=name dotnet test tests/Sinkron.Tests --filter "FullyQualifiedName~RaftSimulation"</c>.
/// </summary>
public sealed class RaftSimulationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var s in SimScenario.All)
        {
            data.Add(s.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario(string name)
    {
        var scenario = Array.Find(SimScenario.All, s => s.Name == name)!;
        var onlyScenario = Environment.GetEnvironmentVariable("SINKRON_SIM_SCENARIO");
        if (!string.IsNullOrEmpty(onlyScenario) && onlyScenario != name)
        {
            return;
        }

        var onlySeed = Environment.GetEnvironmentVariable("SINKRON_SIM_SEED");
        var replay = !string.IsNullOrEmpty(onlySeed);
        var first = replay ? int.Parse(onlySeed!, CultureInfo.InvariantCulture) : 1;
        var count = replay ? 1 : scenario.Seeds;
        var clock = Stopwatch.StartNew();
        var total = new SimStats();
        for (var seed = first; seed < first + count; seed++)
        {
            total.Add(RunSeed(scenario, seed, replay));
        }

        output.WriteLine($"{name}: {count} seeds in {clock.Elapsed.TotalSeconds:F1} s: {total}");
        Assert.True(total.Applied > 0 && total.Elections > 0, $"{name} exercised nothing: {total}");
        if (scenario.CompactEvery > 0 && !replay)
        {
            Assert.True(total.SnapshotsInstalled > 0, $"{name} never installed a snapshot: {total}");
        }
    }

    private static SimStats RunSeed(SimScenario scenario, int seed, bool trace)
    {
        var cluster = new SimCluster(scenario, seed, trace);
        try
        {
            cluster.Run();
            return cluster.Stats;
        }
        catch (Exception ex)
        {
            var lines = cluster.Trace;
            var tail = lines.Count > 400 ? lines.Skip(lines.Count - 400) : lines;
            throw new Xunit.Sdk.XunitException(
                $"Raft simulation failed: scenario {scenario.Name}, seed {seed}: {ex.Message}\n"
                + $"Replay: SINKRON_SIM_SEED={seed} SINKRON_SIM_SCENARIO={scenario.Name} dotnet test tests/Sinkron.Tests --filter \"FullyQualifiedName~RaftSimulation\"\n"
                + (trace ? "Trace (last events):\n" + string.Join('\n', tail) + "\n" : "(replay to get an event trace)\n")
                + ex);
        }
    }
}
