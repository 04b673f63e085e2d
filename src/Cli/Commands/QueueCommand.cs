using System.CommandLine;
using System.Text;
using Sinkron.Client;
using Sinkron.Wire.Messages.Queues;

namespace Sinkron.Cli.Commands;

/// <summary><c>sinkron queue produce|group create|consume|ack|nack|stats|redrive</c>.</summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var queue = new Command("queue", "the queue service: produce, consumer groups, consume, ack, stats");
        queue.Subcommands.Add(Produce());
        queue.Subcommands.Add(Group());
        queue.Subcommands.Add(Consume());
        queue.Subcommands.Add(AckOrNack("ack", "acknowledge messages (done with them)", nack: false));
        queue.Subcommands.Add(AckOrNack("nack", "release messages for redelivery now", nack: true));
        queue.Subcommands.Add(Stats());
        queue.Subcommands.Add(Redrive());
        return queue;
    }

    private static Argument<string> QueueName() => new("QUEUE") { Description = "queue name" };

    private static Command Produce()
    {
        var name = QueueName();
        var messages = new Argument<string[]>("MESSAGE") { Description = "messages; none: read one per line from stdin", Arity = ArgumentArity.ZeroOrMore };
        var maxLength = new Option<uint>("--max-length") { Description = "trim the queue toward this length (never past unacknowledged entries)" };
        var command = new Command("produce", "append messages to a queue; prints each message id") { name, messages, maxLength };
        command.SetAction(async (result, ct) =>
        {
            var texts = result.GetValue(messages) is { Length: > 0 } given ? given : ReadStdin();
            await using var client = CliContext.CreateClient(result);
            const int batch = 512;
            for (var i = 0; i < texts.Length; i += batch)
            {
                var bodies = texts.Skip(i).Take(batch).Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t)).ToArray();
                foreach (var id in await client.Queues.ProduceBatchAsync(result.GetValue(name)!, bodies, result.GetValue(maxLength), ct))
                {
                    Console.WriteLine(id);
                }
            }

            return 0;
        });
        return command;
    }

    private static string[] ReadStdin()
    {
        var lines = new List<string>();
        while (Console.In.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return [.. lines];
    }

    private static Command Group()
    {
        var name = QueueName();
        var group = new Argument<string>("GROUP") { Description = "consumer group name" };
        var newOnly = new Option<bool>("--new-only") { Description = "the group sees only messages produced from now on (default: from the start)" };
        var create = new Command("create", "create a consumer group") { name, group, newOnly };
        create.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var created = await client.Queues.CreateGroupAsync(result.GetValue(name)!, result.GetValue(group)!, !result.GetValue(newOnly), ct);
            Console.WriteLine(created ? "created" : "already exists");
            return 0;
        });
        return new Command("group", "consumer groups") { create };
    }

    private static Command Consume()
    {
        var name = QueueName();
        var group = new Argument<string>("GROUP") { Description = "consumer group" };
        var consumer = new Argument<string>("CONSUMER") { Description = "this consumer's name (its unacknowledged messages come first)" };
        var count = new Option<int>("--count", "-n") { Description = "most messages to receive", DefaultValueFactory = _ => 10 };
        var wait = new Option<string>("--wait") { Description = "long-poll this long when the queue is empty, e.g. 5s", DefaultValueFactory = _ => "0s" };
        var ack = new Option<bool>("--ack") { Description = "acknowledge what was received" };
        var command = new Command("consume", "receive messages; prints id, delivery count and body, one per line") { name, group, consumer, count, wait, ack };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var queueName = result.GetValue(name)!;
            var groupName = result.GetValue(group)!;
            var received = await client.Queues.ConsumeAsync(queueName, groupName, result.GetValue(consumer)!, result.GetValue(count),
                DurationText.Parse(result.GetValue(wait)!), ct);
            foreach (var message in received)
            {
                Console.WriteLine($"{message.Id}\t{message.DeliveryCount}\t{Encoding.UTF8.GetString(message.Body.Span)}");
            }

            if (result.GetValue(ack) && received.Count > 0)
            {
                await client.Queues.AckAsync(queueName, groupName, [.. received.Select(m => m.Id)], ct);
            }

            return 0;
        });
        return command;
    }

    private static Command AckOrNack(string verb, string description, bool nack)
    {
        var name = QueueName();
        var group = new Argument<string>("GROUP") { Description = "consumer group" };
        var ids = new Argument<string[]>("ID") { Description = "message ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { name, group, ids };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var list = result.GetValue(ids)!;
            var done = nack
                ? await client.Queues.NackAsync(result.GetValue(name)!, result.GetValue(group)!, list, ct)
                : await client.Queues.AckAsync(result.GetValue(name)!, result.GetValue(group)!, list, ct);
            Console.WriteLine($"{done} of {list.Length}");
            return 0;
        });
        return command;
    }

    private static Command Stats()
    {
        var name = new Argument<string>("QUEUE") { Description = "one queue (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("stats", "per-queue backlog, pending, consumers, dead letters; per-Redis-node health") { name };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            Print(await client.Queues.StatsAsync(result.GetValue(name) ?? "", ct));
            return 0;
        });
        return command;
    }

    private static void Print(QueueStatsResponse stats)
    {
        Console.WriteLine($"{"QUEUE",-24} {"NODE",-8} {"LENGTH",8} {"DEAD",6} {"REDELIV",8}  GROUPS (backlog/pending; consumer pending idle)");
        foreach (var q in stats.Queues)
        {
            var groups = string.Join("; ", q.Groups.Select(g =>
                $"{g.Name} {g.Backlog}/{g.Pending}" + string.Concat(g.Consumers.Select(c => $" [{c.Name} {c.Pending} {c.IdleMs / 1000.0:0.0}s]"))));
            Console.WriteLine($"{q.Name,-24} {q.Node,-8} {q.Length,8} {q.DeadLetters,6} {q.Redeliveries,8}  {groups}");
        }

        Console.WriteLine();
        Console.WriteLine($"{"REDIS",-8} {"ADDRESS",-16} {"HEALTH",-7} {"QUEUES",6} {"KEYSPACE",8}");
        foreach (var n in stats.Nodes)
        {
            Console.WriteLine($"{n.Id,-8} {n.Address,-16} {(n.Healthy ? "up" : "DOWN"),-7} {n.Queues,6} {n.KeyShare,8:P1} {n.Error}");
        }
    }

    private static Command Redrive()
    {
        var name = QueueName();
        var max = new Option<int>("--max") { Description = "most dead letters to move", DefaultValueFactory = _ => 1000 };
        var command = new Command("redrive", "move dead letters back into the queue (uses the admin certificate)") { name, max };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result, identity: "admin");
            Console.WriteLine($"moved {await client.Queues.RedriveAsync(result.GetValue(name)!, result.GetValue(max), ct)}");
            return 0;
        });
        return command;
    }
}
