using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Launcher;

/// <summary>
/// The operator's path, for real: run-cluster.sh starts all ten processes on a free base port with
/// its own data folder, `sinkron status` sees them, killing the lock leader elects another, and
/// `down` leaves nothing running.
/// </summary>
public partial class LauncherIntegrationTests
{
    private static readonly string Repo = Path.GetDirectoryName(FindUp("run-cluster.sh"))!;

    [Fact]
    public async Task Up_status_failover_down()
    {
        var data = Path.Combine(Path.GetTempPath(), "sinkron-launcher-" + Guid.NewGuid().ToString("N")[..8]);
        var basePort = FreeBasePort();
        try
        {
            var up = await LauncherAsync(basePort, "up", "--data", data);
            Assert.True(up.Code == 0, up.Output);

            // `up` waits for a leader of the cluster in --data, not of whatever .cluster/ holds.
            Assert.DoesNotContain("no lock leader elected", up.Output, StringComparison.Ordinal);
            Assert.Contains($"export SINKRON_CLI_CONFIG={data}/cli.json", up.Output, StringComparison.Ordinal);
            var table = (await LauncherAsync(basePort, "status", "--data", data)).Output;
            Assert.Equal(10, UpRow().Matches(table).Count);

            var status = await CliAsync(basePort, data, "status");
            Assert.True(status.Code == 0, status.Output);
            var leader = Assert.Single(LeaderRow().Matches(status.Output)).Groups[1].Value;

            var killed = await LauncherAsync(basePort, "kill", leader, "--data", data);
            Assert.True(killed.Code == 0, killed.Output);
            await Poll.UntilAsync(async () =>
            {
                var after = await CliAsync(basePort, data, "status");
                var leaders = LeaderRow().Matches(after.Output);
                return leaders.Count == 1 && leaders[0].Groups[1].Value != leader;
            }, TimeSpan.FromSeconds(30), "a new lock leader");

            var locked = await CliAsync(basePort, data, "lock", "acquire", "launcher-test", "--", "true");
            Assert.True(locked.Code == 0, locked.Output);
        }
        finally
        {
            var pids = Directory.Exists(Path.Combine(data, "run"))
                ? Directory.GetFiles(Path.Combine(data, "run"), "*.pid").Select(f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList()
                : [];
            var down = await LauncherAsync(basePort, "down", "--data", data);
            Assert.True(down.Code == 0, down.Output);
            foreach (var pid in pids)
            {
                Assert.False(IsRunning(pid), $"pid {pid} still runs after down");
            }

            Directory.Delete(data, recursive: true);
        }
    }

    // A killed process whose parent is gone may linger as a zombie until reaped; it no longer runs.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
    }

    // The launcher as an operator runs it: no SINKRON_CLI_CONFIG; it must find its own cluster.
    private static Task<(int Code, string Output)> LauncherAsync(int basePort, params string[] args)
        => RunAsync("bash", basePort, cliConfig: null, [Path.Combine(Repo, "run-cluster.sh"), .. args]);

    private static Task<(int Code, string Output)> CliAsync(int basePort, string data, params string[] args)
        => RunAsync("dotnet", basePort, Path.Combine(data, "cli.json"), [Path.Combine(Repo, "artifacts/bin/Sinkron.Cli/release/sinkron.dll"), .. args]);

    private static async Task<(int Code, string Output)> RunAsync(string file, int basePort, string? cliConfig, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = Repo, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SINKRON_BASE_PORT"] = basePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment.Remove("SINKRON_CLI_CONFIG");
        if (cliConfig is not null)
        {
            info.Environment["SINKRON_CLI_CONFIG"] = cliConfig;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreeBasePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            // Below Linux's ephemeral range (32768 and up): there, the outgoing connections of the tests
            // running meanwhile take local ports that a node would then fail to bind.
            var basePort = Random.Shared.Next(20_000, 32_000) / 100 * 100;
            if (Enumerable.Range(basePort, 40).All(IsFree))
            {
                return basePort;
            }
        }

        throw new InvalidOperationException("no free range of 40 loopback ports");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindUp(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(name);
    }

    [GeneratedRegex(@"^\S+\s+\S+\s+127\.0\.0\.1:\d+\s+\d+\s+up\s*$", RegexOptions.Multiline)]
    private static partial Regex UpRow();

    [GeneratedRegex(@"^(lock\d)\s+\S+\s+lock\s+leader\s", RegexOptions.Multiline)]
    private static partial Regex LeaderRow();
}
