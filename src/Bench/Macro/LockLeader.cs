using System.Diagnostics;
using Sinkron.Client;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro;

/// <summary>Finds the lock cluster's leader by asking each node's STATUS, for up to 30 s.</summary>
internal static class LockLeader
{
    public static async Task<(WireEndpoint Endpoint, StatusResponse Status)> FindAsync(SinkronClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var node in client.Options.LockNodes)
            {
                try
                {
                    var status = await client.StatusAsync(node);
                    if (status.Field("state") == "leader")
                    {
                        return (node, status);
                    }
                }
                catch (SinkronException)
                {
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no lock leader within 30 s");
    }
}
