using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sinkron.Tests.Infrastructure;

/// <summary>A real redis-server on a loopback port with AOF on, killed by pid.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private Process? _process;

    public RedisProcess(string id, int port, string directory)
    {
        Id = id;
        Port = port;
        Directory = directory;
    }

    public string Id { get; }

    public int Port { get; }

    public string Directory { get; }

    public string Address => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", Directory,
                     "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no"])
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Poll.UntilAsync(PingAsync, TimeSpan.FromSeconds(20), $"redis-server {Id} on {Port}");
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    private async Task<bool> PingAsync() => (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);

    /// <summary>Sends one inline command on a new connection and returns the start of Redis's reply.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
