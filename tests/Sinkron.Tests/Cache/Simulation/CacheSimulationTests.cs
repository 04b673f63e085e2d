using System.Diagnostics;

namespace Sinkron.Tests.Cache.Simulation;

public class CacheSimulationTests
{
    private const int Seeds = 2000;
    private const int StepsPerSeed = 300;

    [Fact]
    public void CacheSimulation_keeps_MESI_invariants_and_linearizable_reads()
    {
        var replay = Environment.GetEnvironmentVariable("SINKRON_CACHE_SEED");
        if (int.TryParse(replay, out var only))
        {
            RunSeed(only, trace: true);
            return;
        }

        var clock = Stopwatch.StartNew();
        for (var seed = 1; seed <= Seeds; seed++)
        {
            RunSeed(seed, trace: false);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{Seeds} seeds took {clock.Elapsed}");
    }

    private static void RunSeed(int seed, bool trace)
    {
        try
        {
            // Odd seeds run a healthy network; even seeds also crash and restart nodes.
            new CacheSimulator(seed, crashes: seed % 2 == 0, trace).Run(StepsPerSeed);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\nReplay: SINKRON_CACHE_SEED={seed} dotnet test tests/Sinkron.Tests --filter \"FullyQualifiedName~CacheSimulation\"\n{e}");
        }
    }
}
