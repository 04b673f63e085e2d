using System.Text;
using Sinkron.Nodes.Cache;

namespace Sinkron.Tests.Cache;

/// <summary>
/// Every MESI transition of a line at node A (0), as a table: state × event → new state and the
/// bus messages A sends. The key's home is node 2; node 1 (B) is a second sharer; remote events
/// are operations by node 2, so the only traffic A sees is the home's Fetch or Inv.
/// </summary>
public class MesiTransitionTests
{
    public enum Event
    {
        LocalGet,
        LocalPut,
        LocalDelete,
        Evict,
        RemoteGet,
        RemotePut,
    }

    private const int A = 0;
    private const int B = 1;
    private const int Home = 2;
    private const string Key = "k";

    [Theory]
    [InlineData("I", Event.LocalGet, "E", "BusRd(None)")]
    [InlineData("I", Event.LocalPut, "M", "BusRdX(None)")]
    [InlineData("I", Event.LocalDelete, "M", "BusRdX(None)")]
    [InlineData("I", Event.Evict, "I", "")]
    [InlineData("I", Event.RemoteGet, "I", "")]
    [InlineData("I", Event.RemotePut, "I", "")]
    [InlineData("S", Event.LocalGet, "S", "")]
    [InlineData("S", Event.LocalPut, "M", "BusUpgr(None)")]
    [InlineData("S", Event.LocalDelete, "M", "BusUpgr(None)")]
    [InlineData("S", Event.Evict, "I", "PutS(None)")]
    [InlineData("S", Event.RemoteGet, "S", "")]
    [InlineData("S", Event.RemotePut, "I", "InvAck(None)")]
    [InlineData("E", Event.LocalGet, "E", "")]
    [InlineData("E", Event.LocalPut, "M", "")]
    [InlineData("E", Event.LocalDelete, "M", "")]
    [InlineData("E", Event.Evict, "I", "PutE(None)")]
    [InlineData("E", Event.RemoteGet, "S", "FetchAck(KeptCopy)")]
    [InlineData("E", Event.RemotePut, "I", "InvAck(None)")]
    [InlineData("M", Event.LocalGet, "M", "")]
    [InlineData("M", Event.LocalPut, "M", "")]
    [InlineData("M", Event.LocalDelete, "M", "")]
    [InlineData("M", Event.Evict, "I", "PutM(HasData)")]
    [InlineData("M", Event.RemoteGet, "S", "FetchAck(HasData, KeptCopy)")]
    [InlineData("M", Event.RemotePut, "I", "InvAck(HasData)")]
    public void Write_back_transitions(string fromState, Event @event, string toState, string messagesFromA)
    {
        var (from, to) = (Parse(fromState), Parse(toState));
        var cluster = new CacheTestCluster(3, new FixedHomes(Home));
        Prepare(cluster, from);
        Assert.Equal(from, cluster.State(A, Key));

        var mark = cluster.Sent.Count;
        var request = Apply(cluster, @event);
        cluster.DeliverAll();

        Assert.Equal(to, cluster.State(A, Key));
        Assert.Equal(messagesFromA, Format(cluster.Sent, mark, A));
        if (request != 0)
        {
            Assert.NotEqual(CacheStatus.Unavailable, cluster.Completion(request).Status);
            Assert.Equal(to, cluster.Completion(request).State);
        }

        AssertSingleWriter(cluster);
    }

    [Theory]
    [InlineData("I", Event.LocalPut, "E", "WriteThrough(HasData)")]
    [InlineData("I", Event.LocalDelete, "E", "WriteThrough(HasData, Tombstone)")]
    [InlineData("S", Event.LocalPut, "E", "WriteThrough(HasData)")]
    [InlineData("E", Event.LocalPut, "E", "WriteThrough(HasData)")]
    [InlineData("E", Event.LocalGet, "E", "")]
    [InlineData("E", Event.Evict, "I", "PutE(None)")]
    [InlineData("E", Event.RemoteGet, "S", "FetchAck(KeptCopy)")]
    public void Write_through_transitions(string fromState, Event @event, string toState, string messagesFromA)
    {
        var (from, to) = (Parse(fromState), Parse(toState));
        var cluster = new CacheTestCluster(3, new FixedHomes(Home), _ => new CacheOptions { WriteThrough = true });
        Prepare(cluster, from);
        Assert.Equal(from, cluster.State(A, Key));

        var mark = cluster.Sent.Count;
        Apply(cluster, @event);
        cluster.DeliverAll();

        Assert.Equal(to, cluster.State(A, Key));
        Assert.Equal(messagesFromA, Format(cluster.Sent, mark, A));
        if (@event is Event.LocalPut or Event.LocalDelete)
        {
            // Durable at home before the acknowledgement.
            var home = cluster.Nodes[Home].InspectHome("k"u8)!.Value;
            Assert.Equal(cluster.Line(A, Key).Version, home.Version);
            Assert.Equal(@event == Event.LocalDelete, home.Tombstone);
        }

        AssertSingleWriter(cluster);
    }

    [Fact]
    public void A_remote_read_of_a_modified_line_returns_the_written_value_and_writes_it_back()
    {
        var cluster = new CacheTestCluster(3, new FixedHomes(Home));
        cluster.Put(A, Key, "v1");
        cluster.DeliverAll();

        var read = cluster.Get(B, Key);
        cluster.DeliverAll();

        var completion = cluster.Completion(read);
        Assert.Equal("v1", Encoding.UTF8.GetString(completion.Value.Span));
        Assert.Equal(LineState.Shared, completion.State);
        Assert.Equal(1UL, cluster.Nodes[Home].InspectHome("k"u8)!.Value.Version);
        Assert.Equal(1, cluster.Nodes[A].Metrics.WriteBacks);
    }

    [Fact]
    public void An_upgrade_invalidates_every_other_sharer_before_granting()
    {
        var cluster = new CacheTestCluster(3, new FixedHomes(Home));
        Prepare(cluster, LineState.Shared);
        cluster.Get(Home, Key);
        cluster.DeliverAll();
        Assert.Equal(LineState.Shared, cluster.State(Home, Key));

        var write = cluster.Put(A, Key, "v2");
        cluster.DeliverAll();

        Assert.Equal(LineState.Modified, cluster.Completion(write).State);
        Assert.Equal(LineState.Invalid, cluster.State(B, Key));
        Assert.Equal(LineState.Invalid, cluster.State(Home, Key));
        Assert.Equal(2, cluster.Nodes[Home].Metrics.InvalidationsSent);
        var home = cluster.Nodes[Home].InspectHome("k"u8)!.Value;
        Assert.Equal(A, home.Owner);
        Assert.Equal(0UL, home.Sharers);
    }

    private static LineState Parse(string state) => state switch
    {
        "M" => LineState.Modified,
        "E" => LineState.Exclusive,
        "S" => LineState.Shared,
        _ => LineState.Invalid,
    };

    private static void Prepare(CacheTestCluster cluster, LineState state)
    {
        switch (state)
        {
            case LineState.Shared:
                cluster.Get(A, Key);
                cluster.DeliverAll();
                cluster.Get(B, Key);
                break;
            case LineState.Exclusive:
                cluster.Get(A, Key);
                break;
            case LineState.Modified:
                cluster.Put(A, Key, "a-value");
                break;
            default:
                break;
        }

        cluster.DeliverAll();
    }

    private static ulong Apply(CacheTestCluster cluster, Event @event)
    {
        switch (@event)
        {
            case Event.LocalGet:
                return cluster.Get(A, Key);
            case Event.LocalPut:
                return cluster.Put(A, Key, "new");
            case Event.LocalDelete:
                return cluster.Delete(A, Key);
            case Event.Evict:
                cluster.Evict(A, Key);
                return 0;
            case Event.RemoteGet:
                cluster.Get(Home, Key);
                return 0;
            default:
                cluster.Put(Home, Key, "remote");
                return 0;
        }
    }

    private static string Format(List<TracedMessage> sent, int from, int node)
    {
        var parts = new List<string>();
        for (var i = from; i < sent.Count; i++)
        {
            if (sent[i].From == node)
            {
                parts.Add($"{sent[i].Type}({sent[i].Flags})");
            }
        }

        return string.Join(";", parts);
    }

    internal static void AssertSingleWriter(CacheTestCluster cluster)
    {
        int owners = 0, sharers = 0;
        for (var n = 0; n < cluster.Count; n++)
        {
            var state = cluster.State(n, Key);
            owners += state is LineState.Modified or LineState.Exclusive ? 1 : 0;
            sharers += state == LineState.Shared ? 1 : 0;
        }

        Assert.True(owners <= 1 && (owners == 0 || sharers == 0), $"{owners} owners and {sharers} sharers");
    }
}
