using Sinkron.Nodes.Locks;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

public class ResultWindowTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_adds_updates_and_removals_match_a_sorted_dictionary(int seed)
    {
        var random = new Random(seed);
        var window = new ResultWindow();
        var reference = new SortedDictionary<ulong, LockResult>();
        ulong floor = 0;
        for (var step = 0; step < 20_000; step++)
        {
            // Seqs drift upward, as a client's do; the spread makes out-of-order inserts common.
            var seq = floor + (ulong)random.Next(0, 40);
            var result = LockResult.Granted((ulong)step);
            switch (random.Next(10))
            {
                case < 6 when !reference.ContainsKey(seq):
                    window.Add(seq, result);
                    reference.Add(seq, result);
                    break;
                case 6:
                    Assert.Equal(reference.ContainsKey(seq), window.TryUpdate(seq, result));
                    if (reference.ContainsKey(seq))
                    {
                        reference[seq] = result;
                    }

                    break;
                case 7 when reference.Count > 0:
                    window.RemoveLowest();
                    reference.Remove(reference.Keys.First());
                    break;
                case 8:
                    floor += (ulong)random.Next(0, 12);
                    window.RemoveBelow(floor);
                    foreach (var below in reference.Keys.Where(k => k < floor).ToList())
                    {
                        reference.Remove(below);
                    }

                    break;
                default:
                    Assert.Equal(reference.TryGetValue(seq, out var expected), window.TryGet(seq, out var actual));
                    Assert.Equal(expected, actual);
                    break;
            }

            Assert.Equal(reference.Count, window.Count);
        }

        var i = 0;
        foreach (var (seq, result) in reference)
        {
            Assert.Equal(new ResultWindow.Entry(seq, result), window[i++]);
        }
    }

    [Fact]
    public void Steady_state_pipelining_does_not_allocate()
    {
        var window = new ResultWindow();
        var result = LockResult.Of(LockOutcome.Released);
        ulong next = 1;
        void Run(int rounds)
        {
            for (var r = 0; r < rounds; r++)
            {
                // 64 in flight, answered out of order, acknowledged from the bottom.
                window.Add(next + 1, result);
                window.Add(next, result);
                window.TryUpdate(next, result);
                window.TryGet(next + 1, out _);
                next += 2;
                if (window.Count > 64)
                {
                    window.RemoveBelow(next - 64);
                }
            }
        }

        Assert.Equal(0, AllocationProbe.Measure(() => Run(100_000)));
    }

    [Fact]
    public void A_window_that_drained_gives_its_memory_back()
    {
        var window = new ResultWindow();
        for (var seq = 1UL; seq <= 4096; seq++)
        {
            window.Add(seq, default);
        }

        window.RemoveBelow(4090);
        for (var seq = 4097UL; seq <= 4200; seq++)
        {
            window.Add(seq, default);
            window.RemoveBelow(seq - 4);
        }

        Assert.Equal(5, window.Count);
        Assert.True(window.Capacity <= 64, $"capacity {window.Capacity} after draining");
    }
}
