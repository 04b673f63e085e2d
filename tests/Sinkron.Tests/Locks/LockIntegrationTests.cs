using System.Globalization;
using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Locks;

/// <summary>
/// The lock service end to end: real clients, a real three-node cluster over mTLS. One client is
/// one session, so two sessions are two clients. Every test uses its own lock names.
/// </summary>
[Collection(LockProcessCollection.Name)]
public class LockIntegrationTests(LockClusterFixture fixture) : IClassFixture<LockClusterFixture>
{
    private static readonly TimeSpan Wait = LockCluster.Deadline;
    private readonly LockCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Shared_holders_coexist_and_keep_an_exclusive_request_out()
    {
        await _cluster.ReviveAsync();
        await using var a = _cluster.NewClient();
        await using var b = _cluster.NewClient();
        await using var c = _cluster.NewClient();

        var first = await a.Locks.AcquireAsync("shared-1", LockMode.Shared, Wait);
        var second = await b.Locks.AcquireAsync("shared-1", LockMode.Shared, Wait);
        Assert.NotEqual(first.FencingToken, second.FencingToken);
        Assert.Null(await c.Locks.TryAcquireAsync("shared-1", LockMode.Exclusive));

        var entry = Assert.Single(await a.Locks.ListAsync("shared-1"));
        Assert.Equal(
            new[] { await a.Locks.SessionIdAsync(), await b.Locks.SessionIdAsync() }.Order(),
            entry.Holders.Select(h => h.Session).Order());
        Assert.All(entry.Holders, h => Assert.Equal((byte)LockMode.Shared, h.Mode));

        await first.ReleaseAsync();
        await second.ReleaseAsync();
        await using var exclusive = await c.Locks.TryAcquireAsync("shared-1", LockMode.Exclusive);
        Assert.NotNull(exclusive);
    }

    [Fact]
    public async Task Exclusive_request_waits_and_is_granted_when_the_holder_releases()
    {
        await _cluster.ReviveAsync();
        await using var a = _cluster.NewClient();
        await using var b = _cluster.NewClient();
        var held = await a.Locks.AcquireAsync("exclusive-1", LockMode.Exclusive, Wait);

        var waiting = b.Locks.AcquireAsync("exclusive-1", LockMode.Exclusive, Wait);
        var bSession = await b.Locks.SessionIdAsync();
        await Poll.UntilAsync(async () => (await a.Locks.ListAsync("exclusive-1")).Single().Waiters.Any(w => w.Session == bSession), Wait, "b to queue");
        Assert.False(waiting.IsCompleted);

        await held.ReleaseAsync();
        await using var granted = await waiting.WaitAsync(Wait);
        Assert.True(granted.FencingToken > held.FencingToken);
        Assert.Equal(bSession, Assert.Single((await a.Locks.ListAsync("exclusive-1")).Single().Holders).Session);
    }

    [Fact]
    public async Task Wait_timeout_fails_with_Timeout_and_a_busy_try_acquire_returns_null()
    {
        await using var a = _cluster.NewClient();
        await using var b = _cluster.NewClient();
        await _cluster.ReviveAsync();
        await using var held = await a.Locks.AcquireAsync("timeout-1", LockMode.Exclusive, Wait);

        var error = await Assert.ThrowsAsync<SinkronException>(() => b.Locks.AcquireAsync("timeout-1", LockMode.Exclusive, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(ErrorCode.Timeout, error.Code);
        Assert.Null(await b.Locks.TryAcquireAsync("timeout-1", LockMode.Exclusive));

        // The timed-out wait left nothing behind.
        var entry = Assert.Single(await a.Locks.ListAsync("timeout-1"));
        Assert.Empty(entry.Waiters);
    }

    [Fact]
    public async Task Request_closing_a_wait_cycle_is_refused_with_Deadlock_naming_the_cycle()
    {
        await _cluster.ReviveAsync();
        await using var a = _cluster.NewClient();
        await using var b = _cluster.NewClient();
        var x = await a.Locks.AcquireAsync("deadlock-x", LockMode.Exclusive, Wait);
        var y = await b.Locks.AcquireAsync("deadlock-y", LockMode.Exclusive, Wait);
        var (aSession, bSession) = (await a.Locks.SessionIdAsync(), await b.Locks.SessionIdAsync());

        var aWaits = a.Locks.AcquireAsync("deadlock-y", LockMode.Exclusive, Wait);
        await Poll.UntilAsync(async () => (await b.Locks.ListAsync("deadlock-y")).Single().Waiters.Any(w => w.Session == aSession), Wait, "a to queue for y");

        var error = await Assert.ThrowsAsync<SinkronException>(() => b.Locks.AcquireAsync("deadlock-x", LockMode.Exclusive, Wait));
        Assert.Equal(ErrorCode.Deadlock, error.Code);
        Assert.Contains(aSession.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains(bSession.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);

        // The refused request did not queue; b gives way and a gets y.
        Assert.Empty((await b.Locks.ListAsync("deadlock-x")).Single().Waiters);
        await y.ReleaseAsync();
        await using var granted = await aWaits.WaitAsync(Wait);
        Assert.True(granted.FencingToken > y.FencingToken);
        await x.ReleaseAsync();
    }

    [Fact]
    public async Task Locks_of_a_killed_client_process_are_released_after_its_ttl()
    {
        var leader = await _cluster.ReviveAsync();
        await using var observer = _cluster.NewClient();

        // A separate process so its death is real: SIGKILL stops its keepalives without a release or a session close.
        await using var doomed = CliProcess.Start("lock", "acquire", "ttl-1", "--ttl", "2s",
            "--node", LockCluster.EndpointOf(leader).ToString(), "--certs", TestCertificates.Directory);
        await Poll.UntilAsync(() => doomed.Output.Contains("holding", StringComparison.Ordinal) || !doomed.IsRunning, Wait, "the CLI to take the lock");
        Assert.True(doomed.IsRunning, doomed.Output);
        var holder = Assert.Single(Assert.Single(await observer.Locks.ListAsync("ttl-1")).Holders);

        // Alive, its lease is renewed: well past the TTL the lock is still its own.
        var renewedUntil = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        await Poll.UntilAsync(() => DateTime.UtcNow > renewedUntil, Wait, "three seconds of renewals");
        Assert.Null(await observer.Locks.TryAcquireAsync("ttl-1", LockMode.Exclusive));

        doomed.Kill();
        var died = System.Diagnostics.Stopwatch.StartNew();
        var waiting = observer.Locks.AcquireAsync("ttl-1", LockMode.Exclusive, Wait);
        await using var granted = await waiting.WaitAsync(Wait);
        Assert.True(granted.FencingToken > holder.Token);
        Assert.True(died.Elapsed < TimeSpan.FromSeconds(15), $"released {died.Elapsed.TotalSeconds:0.0} s after the kill with a 2 s TTL");
        Assert.Equal(await observer.Locks.SessionIdAsync(), Assert.Single(Assert.Single(await observer.Locks.ListAsync("ttl-1")).Holders).Session);
    }

    [Fact]
    public async Task Fencing_tokens_strictly_increase_across_successive_grants_of_one_lock()
    {
        await _cluster.ReviveAsync();
        await using var a = _cluster.NewClient();
        await using var b = _cluster.NewClient();
        var tokens = new List<ulong>();
        for (var i = 0; i < 10; i++)
        {
            var client = i % 2 == 0 ? a : b;
            var mode = i % 3 == 0 ? LockMode.Shared : LockMode.Exclusive;
            await using var handle = await client.Locks.AcquireAsync("fence-1", mode, Wait);
            tokens.Add(handle.FencingToken);
        }

        for (var i = 1; i < tokens.Count; i++)
        {
            Assert.True(tokens[i] > tokens[i - 1], $"token {tokens[i]} after {tokens[i - 1]}: {string.Join(", ", tokens)}");
        }
    }
}
