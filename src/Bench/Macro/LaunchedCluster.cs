using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro;

/// <summary>
/// A cluster started through run-cluster.sh on its own base port and temporary data folder, so
/// benchmarks measure exactly what operators run; `down` and cleanup on dispose.
/// </summary>
internal sealed class LaunchedCluster : IAsyncDisposable
{
    private readonly string _launcher;
    private readonly int _basePort;

    private LaunchedCluster(string launcher, int basePort, string data, JsonElement config)
    {
        _launcher = launcher;
        _basePort = basePort;
        Data = data;
        LockNodes = Endpoints(config, "lockNodes");
        QueueNodes = Endpoints(config, "queueNodes");
        RedisNodes = Endpoints(config, "redisNodes");
        Certs = config.GetProperty("certs").GetString()!;
    }

    public string Data { get; }

    public List<WireEndpoint> LockNodes { get; }

    public List<WireEndpoint> QueueNodes { get; }

    /// <summary>The queue router's redis-servers, in ring order.</summary>
    public List<WireEndpoint> RedisNodes { get; }

    public string Certs { get; }

    public static async Task<LaunchedCluster> UpAsync(int basePort, string[] upArgs)
    {
        var data = Path.Combine(Path.GetTempPath(), $"sinkron-bench-{Environment.ProcessId}-{basePort}");
        var launcher = FindLauncher();
        await RunAsync(launcher, basePort, ["up", .. upArgs, "--data", data]);
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "cli.json")));
        return new LaunchedCluster(launcher, basePort, data, config.RootElement);
    }

    private static List<WireEndpoint> Endpoints(JsonElement config, string member) =>
        [.. config.GetProperty(member).EnumerateArray().Select(e => WireEndpoint.Parse(e.GetString()!))];

    /// <summary>Every member the launcher started (nodes and redis-servers) with its pid.</summary>
    public IReadOnlyList<(string Name, int Pid)> Processes() => LauncherProcesses.Read(Data);

    /// <summary>The pid the launcher recorded for member <paramref name="name"/>.</summary>
    public int PidOf(string name) => LauncherProcesses.PidOf(Data, name);

    /// <summary>Runs another launcher verb (kill NAME, start NAME) on this cluster.</summary>
    public Task RunAsync(params string[] args) => RunAsync(_launcher, _basePort, [.. args, "--data", Data]);

    private static async Task RunAsync(string launcher, int basePort, string[] args)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(launcher);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SINKRON_BASE_PORT"] = basePort.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"run-cluster.sh {string.Join(' ', args)} failed:\n{output}");
        }
    }

    private static string FindLauncher()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "run-cluster.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("run-cluster.sh not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("down");
        Directory.Delete(Data, recursive: true);
    }
}
