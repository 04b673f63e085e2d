using Sinkron.Bench.Macro;

namespace Sinkron.Tests.Bench;

public class CompareRoundTests
{
    [Fact]
    public void One_round_gives_one_line_of_ratios()
    {
        var rounds = new[] { Round(1, singleOps: 1000, singleMs: 2, tripleOps: 500, tripleMs: 4) };

        Assert.Equal("3-node / single: throughput 0.50, median latency 2.00, p99 2.00" + Environment.NewLine, CompareRound.Describe(rounds, "3-node / single"));
    }

    [Fact]
    public void Several_rounds_give_each_ratio_and_the_median_of_each()
    {
        var rounds = new[]
        {
            Round(1, singleOps: 1000, singleMs: 2, tripleOps: 600, tripleMs: 3),
            Round(2, singleOps: 1000, singleMs: 2, tripleOps: 200, tripleMs: 8),
            Round(3, singleOps: 500, singleMs: 4, tripleOps: 250, tripleMs: 6),
        };

        var lines = CompareRound.Describe(rounds, "3-node / single").Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "round 1: 3-node / single: throughput 0.60, median latency 1.50, p99 1.50",
                "round 2: 3-node / single: throughput 0.20, median latency 4.00, p99 4.00",
                "round 3: 3-node / single: throughput 0.50, median latency 1.50, p99 1.50",
                "median of 3 rounds: throughput 0.50, median latency 1.50, p99 1.50",
            ],
            lines);
        Assert.Equal("3 nodes #3", CompareRound.MedianSubject(rounds).Label);
    }

    [Fact]
    public void An_even_number_of_rounds_takes_the_mean_of_the_middle_two()
    {
        var rounds = new[]
        {
            Round(1, singleOps: 1000, singleMs: 2, tripleOps: 600, tripleMs: 2),
            Round(2, singleOps: 1000, singleMs: 2, tripleOps: 400, tripleMs: 4),
        };

        Assert.EndsWith("median of 2 rounds: throughput 0.50, median latency 1.50, p99 1.50" + Environment.NewLine, CompareRound.Describe(rounds, "3-node / single"), StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_operation_named_throughput_counts_only_that_operation()
    {
        // A consume run: one consume+ack call carries 10 messages on the baseline, 5 on the subject.
        var baseline = Run("direct", ("consume+ack", 100, 1), ("message", 1000, 1));
        var subject = Run("router", ("consume+ack", 160, 2), ("message", 800, 2));

        var round = new CompareRound(baseline, subject, "message");

        Assert.Equal(0.8, round.Throughput, 3);
        Assert.Equal(960.0 / 1100, new CompareRound(baseline, subject).Throughput, 3);
    }

    private static CompareRound Round(int number, int singleOps, double singleMs, int tripleOps, double tripleMs)
        => new(Run($"single node #{number}", singleOps, singleMs), Run($"3 nodes #{number}", tripleOps, tripleMs));

    private static RunSummary Run(string label, int ops, double ms) => Run(label, ("op", ops, ms));

    // A one-second run: of each operation, `ops` that all took `ms`.
    private static RunSummary Run(string label, params (string Name, int Ops, double Ms)[] operations)
    {
        var all = new List<OperationStats>();
        foreach (var (name, ops, ms) in operations)
        {
            var stats = new OperationStats(name);
            for (var i = 0; i < ops; i++)
            {
                stats.RecordOk((long)(ms * 1000));
            }

            stats.TakeInterval();
            all.Add(stats);
        }

        return new RunSummary(label, all, TimeSpan.FromSeconds(1), []);
    }
}
