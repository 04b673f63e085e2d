using Sinkron.Client;

namespace Sinkron.Tests.Client;

public class InFlightSeqsTests
{
    [Fact]
    public void Seqs_rise_and_the_watermark_is_the_lowest_still_in_flight()
    {
        var seqs = new InFlightSeqs();
        Assert.Equal((1ul, 1ul), seqs.Open());
        Assert.Equal((2ul, 1ul), seqs.Open());
        Assert.Equal((3ul, 1ul), seqs.Open());

        seqs.Close(2);
        Assert.Equal((4ul, 1ul), seqs.Open());

        // Closing the lowest skips past the seqs that already finished.
        seqs.Close(1);
        Assert.Equal((5ul, 3ul), seqs.Open());
    }

    [Fact]
    public void With_nothing_in_flight_the_watermark_is_the_new_seq()
    {
        var seqs = new InFlightSeqs();
        var (first, _) = seqs.Open();
        var (second, _) = seqs.Open();
        seqs.Close(second);
        seqs.Close(first);

        Assert.Equal((3ul, 3ul), seqs.Open());
    }

    [Fact]
    public void Closing_a_seq_twice_or_one_never_opened_changes_nothing()
    {
        var seqs = new InFlightSeqs();
        seqs.Open();
        seqs.Open();
        seqs.Close(1);
        seqs.Close(1);
        seqs.Close(99);

        Assert.Equal((3ul, 2ul), seqs.Open());
    }

    [Fact]
    public void Concurrent_callers_never_get_a_watermark_above_a_seq_that_is_still_open()
    {
        // The node refuses as stale any seq below a watermark it has seen. So when a watermark is handed out,
        // every seq below it must have finished; numbering a seq before registering it broke this.
        const int callers = 8, perCaller = 20_000;
        var seqs = new InFlightSeqs();
        var finished = new bool[callers * perCaller + 1];
        var violations = 0;
        var threads = Enumerable.Range(0, callers).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < perCaller; i++)
            {
                var (seq, ackedBelow) = seqs.Open();
                for (var below = ackedBelow > 64 ? ackedBelow - 64 : 1; below < ackedBelow; below++)
                {
                    if (!Volatile.Read(ref finished[below]))
                    {
                        Interlocked.Increment(ref violations);
                    }
                }

                Volatile.Write(ref finished[seq], true);
                seqs.Close(seq);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(0, violations);
        Assert.Equal(((ulong)(callers * perCaller) + 1, (ulong)(callers * perCaller) + 1), seqs.Open());
    }
}
