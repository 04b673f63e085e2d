using CsCheck;
using Sinkron.Nodes.Locks;

namespace Sinkron.Tests.Locks;

public class LockTablePropertyTests
{
    /// <summary>One random step: what to do, to which session and lock, in which mode, with which wait, after how long.</summary>
    internal readonly record struct Step(int Op, int Session, int Lock, LockMode Mode, int Wait, int ElapsedMs);

    private static readonly string[] Names = ["a", "b", "c", "d"];
    private static readonly long[] Waits = [0, 50, 400, LockCommand.WaitForever];

    private static readonly Gen<Step> StepGen = Gen.Select(
        Gen.Int[0, 10], Gen.Int[0, 5], Gen.Int[0, Names.Length - 1], Gen.Int[0, 1], Gen.Int[0, Waits.Length - 1], Gen.Int[0, 120],
        (op, session, lockIndex, mode, wait, elapsed) => new Step(op, session, lockIndex, (LockMode)mode, wait, elapsed));

    [Fact]
    public void Random_command_sequences_keep_every_invariant_and_replay_identically_from_a_snapshot()
    {
        StepGen.Array[1, 200].Sample(RunAndCheck, iter: 400);
    }

    private static void RunAndCheck(Step[] steps)
    {
        var driver = new LockTableDriver();
        var sessions = new List<ulong>();
        var lastCommand = new Dictionary<ulong, LockCommand>();
        var lastToken = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var commands = new List<LockCommand>();
        var results = new List<LockResult>();
        byte[]? midSnapshot = null;
        var midEvents = 0;

        for (var i = 0; i < steps.Length; i++)
        {
            if (i == steps.Length / 2)
            {
                midSnapshot = driver.Table.ToSnapshot();
                midEvents = driver.Events.Count;
            }

            driver.NowMs += steps[i].ElapsedMs;
            var command = ToCommand(steps[i], driver, sessions, lastCommand);
            var eventsBefore = driver.Events.Count;
            var result = driver.Apply(command);
            if (command.Kind == LockCommandKind.OpenSession && result.Status == LockStatus.SessionOpened)
            {
                sessions.Add(result.Value);
            }

            if (i >= steps.Length / 2)
            {
                commands.Add(command);
                results.Add(result);
            }

            CheckGrants(driver, command, result, eventsBefore, lastToken);
            CheckTable(driver.Table);
        }

        var replay = new LockTableDriver(LockTable.Restore(midSnapshot!));
        for (var i = 0; i < commands.Count; i++)
        {
            Assert.Equal(results[i], replay.Apply(commands[i]));
        }

        Assert.Equal(driver.Events[midEvents..], replay.Events);
        Assert.Equal(driver.Table.ToSnapshot(), replay.Table.ToSnapshot());
    }

    private static LockCommand ToCommand(Step step, LockTableDriver driver, List<ulong> sessions, Dictionary<ulong, LockCommand> lastCommand)
    {
        if (sessions.Count == 0 || step.Op == 0)
        {
            return LockCommand.OpenSession(driver.NowMs, (ulong)step.Session % 3, 300 + (step.Wait * 400));
        }

        var session = sessions[step.Session % sessions.Count];
        var name = Names[step.Lock];
        LockCommand command;
        switch (step.Op)
        {
            case 1:
                return LockCommand.KeepAlive(driver.NowMs, session);
            case 2 when step.Wait == 0:
                return LockCommand.CloseSession(driver.NowMs, session);
            case 3 or 4 or 5:
                command = LockCommand.Acquire(driver.NowMs, session, driver.NextSeq(session), name, step.Mode, Waits[step.Wait]);
                break;
            case 6 or 7:
                command = LockCommand.Release(driver.NowMs, session, driver.NextSeq(session), name);
                break;
            case 8 when lastCommand.TryGetValue(session, out var retried):
                // A client retry: the same command again, possibly at a later time.
                return retried with { NowMs = driver.NowMs };
            default:
                return LockCommand.Expire(driver.NowMs);
        }

        lastCommand[session] = command;
        return command;
    }

    /// <summary>Every fresh grant carries the current index as token, and tokens never go back per lock.</summary>
    private static void CheckGrants(LockTableDriver driver, LockCommand command, LockResult result, int eventsBefore, Dictionary<string, ulong> lastToken)
    {
        if (result.Status == LockStatus.Granted && result.Token == driver.Index)
        {
            CheckToken(command.Name, result.Token, lastToken);
        }

        for (var e = eventsBefore; e < driver.Events.Count; e++)
        {
            var ev = driver.Events[e];
            if (ev.Result.Status == LockStatus.Granted)
            {
                Assert.Equal(driver.Index, ev.Result.Token);
                CheckToken(ev.Name, ev.Result.Token, lastToken);
            }
        }
    }

    private static void CheckToken(string name, ulong token, Dictionary<string, ulong> lastToken)
    {
        Assert.True(token >= lastToken.GetValueOrDefault(name), $"token {token} for {name} after {lastToken.GetValueOrDefault(name)}");
        lastToken[name] = token;
    }

    private static void CheckTable(LockTable table)
    {
        foreach (var info in table.ListLocks())
        {
            Assert.True(info.Holders.Count + info.Waiters.Count > 0, $"idle lock {info.Name} kept");
            var exclusiveHolders = 0;
            var seen = new HashSet<ulong>();
            foreach (var holder in info.Holders)
            {
                exclusiveHolders += holder.Mode == LockMode.Exclusive ? 1 : 0;
                Assert.True(seen.Add(holder.Session), $"session {holder.Session} holds {info.Name} twice");
                AssertLeaseLive(table, holder.Session);
            }

            Assert.True(exclusiveHolders == 0 || info.Holders.Count == 1, $"{info.Name}: exclusive holder beside others");
            foreach (var waiter in info.Waiters)
            {
                Assert.True(seen.Add(waiter.Session), $"session {waiter.Session} both holds/waits {info.Name} or waits twice");
                AssertLeaseLive(table, waiter.Session);
                Assert.True(waiter.DeadlineMs > table.NowMs, $"{info.Name}: wait past its deadline still queued");
            }

            if (info.Waiters.Count > 0)
            {
                var head = info.Waiters[0];
                var grantable = info.Holders.Count == 0 || (head.Mode == LockMode.Shared && exclusiveHolders == 0);
                Assert.False(grantable, $"{info.Name}: head of queue grantable but not granted");
            }
        }
    }

    private static void AssertLeaseLive(LockTable table, ulong session)
    {
        Assert.True(table.TryGetSessionDeadline(session, out var deadline), $"unknown session {session} in a lock");
        Assert.True(deadline > table.NowMs, $"session {session} expired at {deadline} but still in a lock at {table.NowMs}");
    }
}
