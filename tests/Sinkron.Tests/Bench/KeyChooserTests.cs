using Sinkron.Bench.Macro;

namespace Sinkron.Tests.Bench;

public class KeyChooserTests
{
    [Fact]
    public void Uniform_gives_every_key_the_same_share()
    {
        var chooser = new KeyChooser(4, 0);
        Assert.Equal(0, chooser.Pick(0.0));
        Assert.Equal(0, chooser.Pick(0.2499));
        Assert.Equal(1, chooser.Pick(0.25));
        Assert.Equal(2, chooser.Pick(0.6));
        Assert.Equal(3, chooser.Pick(0.9999999));
        Assert.Equal(0.5, chooser.ShareOfHottest(2), 9);
    }

    [Fact]
    public void Zipf_favours_low_indexes_by_their_weight()
    {
        // Weights 1, 1/2, 1/3 sum to 11/6: key 0 gets 6/11 of the picks, key 1 3/11, key 2 2/11.
        var chooser = new KeyChooser(3, 1.0);
        Assert.Equal(6.0 / 11, chooser.ShareOfHottest(1), 9);
        Assert.Equal(9.0 / 11, chooser.ShareOfHottest(2), 9);
        Assert.Equal(0, chooser.Pick(0.5));
        Assert.Equal(1, chooser.Pick(0.6));
        Assert.Equal(2, chooser.Pick(0.9));
    }

    [Fact]
    public void Default_skew_sends_about_29_percent_of_10000_keys_picks_to_the_10_hottest()
    {
        var chooser = new KeyChooser(10_000, 0.99);
        Assert.InRange(chooser.ShareOfHottest(10), 0.28, 0.36);
    }

    [Fact]
    public void Picks_stay_in_range_and_follow_the_skew()
    {
        var chooser = new KeyChooser(100, 0.99);
        var counts = new int[100];
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++)
        {
            counts[chooser.Pick(random.NextDouble())]++;
        }

        Assert.True(counts[0] > counts[9] && counts[9] > counts[99]);
        Assert.InRange(counts[0] / 100_000.0, chooser.ShareOfHottest(1) - 0.01, chooser.ShareOfHottest(1) + 0.01);
    }
}
