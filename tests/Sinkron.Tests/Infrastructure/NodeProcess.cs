using System.Diagnostics;
using System.Text;
using Sinkron.Client;

namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// A real sinkron-node process on a loopback port, started from the build output the test
/// project references. Output goes to a log the test can read; disposal kills it by pid.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public NodeProcess(string role, string id, int port, string dataDirectory, params string[] extraArgs)
    {
        Role = role;
        Id = id;
        Port = port;
        DataDirectory = dataDirectory;
        ExtraArgs = extraArgs;
    }

    public string Role { get; }

    public string Id { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>A lock client of this node alone, with the test certificates and default options.</summary>
    public SinkronClient NewLockClient() => SinkronClient.Create(new SinkronClientOptions
    {
        CertificateDirectory = TestCertificates.Directory,
        LockNodes = [new("127.0.0.1", Port)],
    });

    public string DataDirectory { get; }

    public string[] ExtraArgs { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code once the process ended; null while it runs.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string NodeDll => Path.Combine(AppContext.BaseDirectory, "sinkron-node.dll");

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(NodeDll);
        foreach (var arg in (string[])["--role", Role, "--id", Id, "--listen", Address, "--certs", TestCertificates.Directory, "--data", DataDirectory])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in ExtraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until the node logs that it is listening.</summary>
    public Task WaitListeningAsync() => Poll.UntilAsync(
        () => Log.Contains("listening on", StringComparison.Ordinal) || !IsRunning,
        TimeSpan.FromSeconds(30),
        $"{Id} to listen").ContinueWith(t =>
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"{Id} exited at start:\n{Log}");
            }

            t.GetAwaiter().GetResult();
        }, TaskScheduler.Default);

    /// <summary>SIGKILL: no graceful shutdown, nothing flushed that was not already.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
