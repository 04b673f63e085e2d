using CsCheck;
using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

public class LockTablePropertyTests
{
    /// <summary>
    /// One random step: what to do, to which session and lock, in which mode, with which wait, after how long, and
    /// <see cref="Pick"/> to choose whether a new request is held back and which held or sent request to use.
    /// </summary>
    internal readonly record struct Step(int Op, int Session, int Lock, LockMode Mode, int Wait, int ElapsedMs, int Pick);

    private static readonly string[] Names = ["a", "b", "c", "d"];
    private static readonly long[] Waits = [0, 50, 400, LockCommand.WaitForever];

    private static readonly Gen<Step> StepGen = Gen.Select(
        Gen.Int[0, 12], Gen.Int[0, 5], Gen.Int[0, Names.Length - 1], Gen.Int[0, 1], Gen.Int[0, Waits.Length - 1], Gen.Int[0, 120], Gen.Int[0, 63],
        (op, session, lockIndex, mode, wait, elapsed, pick) => new Step(op, session, lockIndex, (LockMode)mode, wait, elapsed, pick));

    [Fact]
    public void Random_command_sequences_keep_every_invariant_and_replay_identically_from_a_snapshot()
    {
        StepGen.Array[1, 200].Sample(RunAndCheck, iter: 400);
    }

    private static void RunAndCheck(Step[] steps)
    {
        var driver = new LockTableDriver();
        var sessions = new List<ulong>();
        var clients = new Dictionary<ulong, Client>();
        var model = new ExactlyOnceModel();
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
            var command = ToCommand(steps[i], driver, sessions, clients);
            var eventsBefore = driver.Events.Count;
            var result = driver.Apply(command);
            if (command.Kind == LockCommandKind.OpenSession && result.Status == LockOutcome.SessionOpened)
            {
                sessions.Add(result.Value);
            }

            if (i >= steps.Length / 2)
            {
                commands.Add(command);
                results.Add(result);
            }

            // The clock advance that starts every apply may complete waits (this command's own, if it is a retry)
            // before the command itself runs, so those completions count first.
            model.Observe(driver.Events, eventsBefore, clients);
            model.Check(command, result, clients);
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

    private static LockCommand ToCommand(Step step, LockTableDriver driver, List<ulong> sessions, Dictionary<ulong, Client> clients)
    {
        if (sessions.Count == 0 || step.Op == 0)
        {
            return LockCommand.OpenSession(driver.NowMs, (ulong)step.Session % 3, 300 + (step.Wait * 400));
        }

        var session = sessions[step.Session % sessions.Count];
        if (!clients.TryGetValue(session, out var client))
        {
            client = new Client();
            clients.Add(session, client);
        }

        var name = Names[step.Lock];
        switch (step.Op)
        {
            case 1:
                return LockCommand.KeepAlive(driver.NowMs, session);
            case 2 when step.Wait == 0:
                return LockCommand.CloseSession(driver.NowMs, session);
            case 3 or 4 or 5:
                var seq = client.NewSeq();
                return client.Send(LockCommand.Acquire(driver.NowMs, session, seq, client.AckedBelow(seq), name, step.Mode, Waits[step.Wait]), step, driver.NowMs);
            case 6 or 7:
                seq = client.NewSeq();
                return client.Send(LockCommand.Release(driver.NowMs, session, seq, client.AckedBelow(seq), name), step, driver.NowMs);
            case 8 when client.Held.Count > 0:
                // A request pipelined earlier reaches the log now, after later ones.
                var held = client.Held[step.Pick % client.Held.Count];
                client.Held.Remove(held);
                client.Sent.Add(held);
                return held with { NowMs = driver.NowMs };
            case 9 when client.Sent.Count > 0:
                // A retry after a failover, or a late duplicate of a request answered meanwhile: the same bytes again.
                return client.Sent[step.Pick % client.Sent.Count] with { NowMs = driver.NowMs };
            case 10 when client.Sent.Count > 0:
                // A retry rebuilt by the client with what it knows now.
                var retried = client.Sent[step.Pick % client.Sent.Count];
                return retried with { NowMs = driver.NowMs, AckedBelow = client.AckedBelow(retried.Seq) };
            default:
                return LockCommand.Expire(driver.NowMs);
        }
    }

    /// <summary>
    /// A pipelining client's side of one session: it numbers requests, may hold some back so they reach the log out
    /// of order, and acknowledges below its lowest request still awaiting a final answer.
    /// </summary>
    private sealed class Client
    {
        private ulong lastSeq;

        public List<LockCommand> Held { get; } = [];
        public List<LockCommand> Sent { get; } = [];
        public SortedSet<ulong> Unanswered { get; } = [];

        public ulong NewSeq()
        {
            lastSeq++;
            Unanswered.Add(lastSeq);
            return lastSeq;
        }

        public ulong AckedBelow(ulong seq) => Unanswered.Count > 0 ? Math.Min(Unanswered.Min, seq) : seq;

        /// <summary>Sends <paramref name="command"/> now, or holds it back and lets the clock tick instead.</summary>
        public LockCommand Send(LockCommand command, Step step, long nowMs)
        {
            if (step.Pick % 3 == 0)
            {
                Held.Add(command);
                return LockCommand.Expire(nowMs);
            }

            Sent.Add(command);
            return command;
        }
    }

    /// <summary>
    /// What exactly-once promises, tracked outside the table: a seq's first application decides its result (replaced
    /// once by the outcome of a queued wait); any later application returns it, unless the seq is below the highest
    /// AckedBelow the session has seen, in which case it is Stale; and a request the client still awaits is never Stale.
    /// </summary>
    private sealed class ExactlyOnceModel
    {
        private readonly Dictionary<(ulong Session, ulong Seq), LockResult> results = [];
        private readonly Dictionary<ulong, ulong> watermarks = [];

        public void Check(in LockCommand command, in LockResult result, Dictionary<ulong, Client> clients)
        {
            if (command.Kind is not (LockCommandKind.Acquire or LockCommandKind.Release)
                || result.Status is LockOutcome.UnknownSession or LockOutcome.SessionExpired)
            {
                return;
            }

            var client = clients[command.Session];
            var key = (command.Session, command.Seq);
            var watermark = Math.Max(watermarks.GetValueOrDefault(command.Session), command.AckedBelow);
            watermarks[command.Session] = watermark;
            if (client.Unanswered.Contains(command.Seq))
            {
                Assert.True(command.Seq >= watermark, $"session {command.Session} acknowledged seq {command.Seq} before its answer");
                Assert.NotEqual(LockOutcome.Stale, result.Status);
            }

            if (command.Seq < watermark)
            {
                Assert.Equal(LockOutcome.Stale, result.Status);
            }
            else if (results.TryGetValue(key, out var cached))
            {
                Assert.Equal(cached, result);
            }
            else
            {
                Assert.NotEqual(LockOutcome.Stale, result.Status);
                results.Add(key, result);
            }

            if (result.Status != LockOutcome.Queued)
            {
                client.Unanswered.Remove(command.Seq);
            }
        }

        public void Observe(List<LockEvent> events, int from, Dictionary<ulong, Client> clients)
        {
            for (var i = from; i < events.Count; i++)
            {
                var ev = events[i];
                if (ev.Kind == LockEventKind.WaitCompleted)
                {
                    results[(ev.Session, ev.Seq)] = ev.Result;
                    clients[ev.Session].Unanswered.Remove(ev.Seq);
                }
            }
        }
    }

    /// <summary>Every fresh grant carries the current index as token, and tokens never go back per lock.</summary>
    private static void CheckGrants(LockTableDriver driver, LockCommand command, LockResult result, int eventsBefore, Dictionary<string, ulong> lastToken)
    {
        if (result.Status == LockOutcome.Granted && result.Token == driver.Index)
        {
            CheckToken(command.Name, result.Token, lastToken);
        }

        for (var e = eventsBefore; e < driver.Events.Count; e++)
        {
            var ev = driver.Events[e];
            if (ev.Result.Status == LockOutcome.Granted)
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
