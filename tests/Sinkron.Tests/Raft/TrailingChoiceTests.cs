using Sinkron.Nodes.Raft.Host;

namespace Sinkron.Tests.Raft;

public class TrailingChoiceTests
{
    [Fact]
    public void Of_two_fresh_followers_the_one_that_acknowledged_last_is_prompt_and_the_other_trails()
    {
        Assert.Equal([true, false], Choose(1, fresh: [true, true], acknowledged: [10, 20], trailing: [false, false]));
    }

    [Fact]
    public void A_prompt_follower_keeps_its_place_when_the_trailing_one_acknowledges_a_bundle_later()
    {
        Assert.Equal([false, true], Choose(1, fresh: [true, true], acknowledged: [10, 20], trailing: [false, true]));
    }

    [Fact]
    public void A_prompt_follower_that_went_quiet_is_replaced_by_a_fresh_trailing_one()
    {
        Assert.Equal([true, false], Choose(1, fresh: [false, true], acknowledged: [10, 20], trailing: [false, true]));
    }

    [Fact]
    public void With_too_few_fresh_followers_none_trails()
    {
        Assert.Equal([false, false], Choose(1, fresh: [false, false], acknowledged: [10, 20], trailing: [false, true]));
        Assert.Equal([false, false, false, false], Choose(2, fresh: [true, false, false, false], acknowledged: [40, 30, 20, 10], trailing: [false, true, false, true]));
    }

    [Fact]
    public void Of_four_followers_two_are_prompt()
    {
        Assert.Equal([true, false, true, false], Choose(2, fresh: [true, true, true, true], acknowledged: [10, 40, 20, 30], trailing: [true, true, true, true]));
    }

    private static bool[] Choose(int needed, bool[] fresh, long[] acknowledged, bool[] trailing)
    {
        TrailingChoice.Choose(needed, fresh, acknowledged, trailing);
        return trailing;
    }
}
