using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sinkron.CertGen;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro;

/// <summary>
/// Node processes the benchmark starts itself on free loopback ports, with certificates made by
/// certgen in a temporary folder, so a scenario runs with no cluster set up. Killed by pid on dispose.
/// </summary>
internal sealed class SelfHostedNodes : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private SelfHostedNodes(string root) => Root = root;

    public string Root { get; }

    public string Certs => Path.Combine(Root, "certs");

    public List<WireEndpoint> Endpoints { get; } = [];

    /// <summary>Starts <paramref name="count"/> nodes of <paramref name="role"/>; lock and cache nodes are told about each other.</summary>
    public static async Task<SelfHostedNodes> StartAsync(string role, int count, params string[] extraArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), $"sinkron-bench-{Environment.ProcessId}-{role}-{count}");
        var nodes = new SelfHostedNodes(root);
        var names = Enumerable.Range(1, count).Select(i => $"{role}{i}").ToArray();
        if (CertGenCommand.Run(["--out", nodes.Certs, "--node", .. names, "--client", "client"], TextWriter.Null, Console.Error) != 0)
        {
            throw new InvalidOperationException("certgen failed");
        }

        var ports = names.Select(_ => FreePort()).ToArray();
        var peers = string.Join(',', names.Select((n, i) => $"{n}=127.0.0.1:{ports[i]}"));
        for (var i = 0; i < count; i++)
        {
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sinkron-node.dll"));
            foreach (var arg in (string[])["--role", role, "--id", names[i], "--listen", $"127.0.0.1:{ports[i]}", "--certs", nodes.Certs,
                         "--data", Path.Combine(root, "data", names[i]), "--peers", peers, .. extraArgs])
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.Error.WriteLine($"[{role}{i + 1}] {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            nodes._processes.Add(process);
            nodes.Endpoints.Add(new WireEndpoint("127.0.0.1", ports[i]));
        }

        foreach (var endpoint in nodes.Endpoints)
        {
            await WaitListeningAsync(endpoint);
        }

        return nodes;
    }

    private static async Task WaitListeningAsync(WireEndpoint endpoint)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endpoint.Host, endpoint.Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"node at {endpoint} did not start listening");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
