using System.CommandLine;
using System.Diagnostics;
using Sinkron.Client;

namespace Sinkron.Cli.Commands;

/// <summary><c>sinkron lock acquire|list</c>.</summary>
internal static class LockCommand
{
    public static Command Create()
    {
        var command = new Command("lock", "the lock service: take a lock around a command, list locks");
        command.Subcommands.Add(Acquire());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Acquire()
    {
        var name = new Argument<string>("NAME") { Description = "lock name" };
        var run = new Argument<string[]>("COMMAND") { Description = "after --: run this while holding the lock (without it: hold until Ctrl-C)", Arity = ArgumentArity.ZeroOrMore };
        var shared = new Option<bool>("--shared") { Description = "take the lock shared (default exclusive)" };
        var wait = new Option<string?>("--wait") { Description = "give up after waiting this long, e.g. 5s (default: wait without limit)" };
        var ttl = new Option<string>("--ttl") { Description = "session lease: the lock is released this long after this process stops renewing it", DefaultValueFactory = _ => "10s" };
        var acquire = new Command("acquire", "take a lock, print its fencing token, hold it while COMMAND runs (like flock / etcdctl lock)") { name, run, shared, wait, ttl };
        acquire.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result, lockSessionTtl: DurationText.Parse(result.GetValue(ttl)!));
            var lockName = result.GetValue(name)!;
            var mode = result.GetValue(shared) ? LockMode.Shared : LockMode.Exclusive;
            var waitText = result.GetValue(wait);
            await using var held = await client.Locks.AcquireAsync(lockName, mode, waitText is null ? null : DurationText.Parse(waitText), ct);
            Console.Error.WriteLine($"acquired {lockName} ({mode.ToString().ToLowerInvariant()}), fencing token {held.FencingToken}");
            Console.WriteLine(held.FencingToken);
            var commandLine = result.GetValue(run) ?? [];
            return commandLine.Length == 0 ? await HoldAsync(held, ct) : await RunAsync(commandLine, held, ct);
        });
        return acquire;
    }

    private static async Task<int> HoldAsync(LockHandle held, CancellationToken ct)
    {
        Console.Error.WriteLine("holding; Ctrl-C releases it");
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, held.Lost);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }

        if (held.Lost.IsCancellationRequested)
        {
            Console.Error.WriteLine("the lock's session was lost; the lock may now be held by someone else");
            return 1;
        }

        return 0;
    }

    private static async Task<int> RunAsync(string[] commandLine, LockHandle held, CancellationToken ct)
    {
        var info = new ProcessStartInfo(commandLine[0]) { UseShellExecute = false };
        foreach (var arg in commandLine.AsSpan(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SINKRON_LOCK"] = held.Name;
        info.Environment["SINKRON_FENCING_TOKEN"] = held.FencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new CliException($"cannot start '{commandLine[0]}'");

        // If the lease is lost the command no longer has the lock: stop it rather than let it run unprotected.
        using var onLost = held.Lost.Register(() =>
        {
            Console.Error.WriteLine("the lock's session was lost; stopping the command");
            process.Kill(entireProcessTree: true);
        });
        using var onCancel = ct.Register(() => process.Kill(entireProcessTree: true));
        await process.WaitForExitAsync(CancellationToken.None);
        return held.Lost.IsCancellationRequested ? 1 : process.ExitCode;
    }

    private static Command List()
    {
        var prefix = new Argument<string>("PREFIX") { Description = "only locks whose names start with this", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "locks with their holders (session, mode, fencing token) and waiters") { prefix };
        list.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var locks = await client.Locks.ListAsync(result.GetValue(prefix) ?? "", ct);
            Console.WriteLine($"{"LOCK",-32} {"HOLDERS (session:mode:token)",-40} WAITERS (session:mode)");
            foreach (var entry in locks)
            {
                var holders = string.Join(' ', entry.Holders.Select(h => $"{h.Session}:{Mode(h.Mode)}:{h.Token}"));
                var waiters = string.Join(' ', entry.Waiters.Select(w => $"{w.Session}:{Mode(w.Mode)}"));
                Console.WriteLine($"{entry.Name,-32} {holders,-40} {waiters}");
            }

            return 0;
        });
        return list;
    }

    private static string Mode(byte mode) => mode == 0 ? "S" : "X";
}
