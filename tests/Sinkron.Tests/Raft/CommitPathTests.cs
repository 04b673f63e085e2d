using System.Diagnostics;
using Sinkron.Nodes.Raft.Host;

namespace Sinkron.Tests.Raft;

public class CommitPathTests
{
    // One millisecond in Stopwatch ticks; medians come back in microseconds.
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    [Fact]
    public void Each_delay_is_measured_from_when_the_batch_went_to_the_log()
    {
        var path = new CommitPath();
        path.Appended(lastIndex: 10, now: 100 * Ms);
        path.Appended(lastIndex: 20, now: 101 * Ms);
        path.Durable(index: 10, now: 102 * Ms);
        path.Acknowledged(index: 20, now: 104 * Ms);
        path.Durable(index: 20, now: 105 * Ms);
        path.Committed(index: 20, now: 105 * Ms);

        // Batch 1: own fsync 2 ms, first ack 4 ms, commit 5 ms; batch 2: 4 ms, 3 ms, 4 ms. The median of two is the larger.
        Assert.Equal((4000u, 4000u, 5000u), path.Medians);
    }

    [Fact]
    public void Only_the_first_acknowledgement_of_a_batch_counts()
    {
        var path = new CommitPath();
        path.Appended(lastIndex: 5, now: 10 * Ms);
        path.Acknowledged(index: 5, now: 11 * Ms);
        path.Acknowledged(index: 5, now: 19 * Ms);
        path.Durable(index: 5, now: 12 * Ms);
        path.Committed(index: 5, now: 12 * Ms);

        Assert.Equal(1000u, path.Medians.FirstAck);
    }

    [Fact]
    public void A_single_node_has_no_acknowledgement_delay()
    {
        var path = new CommitPath();
        path.Appended(lastIndex: 1, now: 10 * Ms);
        path.Durable(index: 1, now: 11 * Ms);
        path.Committed(index: 1, now: 11 * Ms);

        Assert.Equal((1000u, 0u, 1000u), path.Medians);
    }

    [Fact]
    public void Batches_that_never_commit_are_dropped_rather_than_kept_without_bound()
    {
        var path = new CommitPath();
        for (ulong i = 1; i <= 10_000; i++)
        {
            path.Appended(lastIndex: i, now: 1 * Ms);
        }

        path.Durable(index: 10_000, now: 3 * Ms);
        path.Committed(index: 10_000, now: 3 * Ms);

        Assert.Equal((2000u, 0u, 2000u), path.Medians);
    }

    [Fact]
    public void Reset_forgets_the_open_batches()
    {
        var path = new CommitPath();
        path.Appended(lastIndex: 7, now: 1 * Ms);
        path.Reset();
        path.Committed(index: 7, now: 9 * Ms);

        Assert.Equal((0u, 0u, 0u), path.Medians);
    }
}
