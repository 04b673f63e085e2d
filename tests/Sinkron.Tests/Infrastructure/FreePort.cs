using System.Net;
using System.Net.Sockets;

namespace Sinkron.Tests.Infrastructure;

/// <summary>Loopback ports nobody is listening on, handed out once each per test run.</summary>
internal static class FreePort
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
