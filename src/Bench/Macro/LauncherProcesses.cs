using System.Globalization;

namespace Sinkron.Bench.Macro;

/// <summary>The processes run-cluster.sh recorded in a data folder (its run/ subfolder): each member and its pid.</summary>
internal static class LauncherProcesses
{
    public static IReadOnlyList<(string Name, int Pid)> Read(string data)
    {
        var members = Path.Combine(data, "run", "members");
        if (!File.Exists(members))
        {
            throw new FormatException($"no cluster recorded in {data} (no run/members; start one with run-cluster.sh up --data {data})");
        }

        return [.. File.ReadAllLines(members).Where(n => n.Length > 0).Select(n => (n, PidOf(data, n)))];
    }

    public static int PidOf(string data, string name)
        => int.Parse(File.ReadAllText(Path.Combine(data, "run", name + ".pid")).Trim(), CultureInfo.InvariantCulture);
}
