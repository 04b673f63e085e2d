using System.Diagnostics;
using System.Globalization;

namespace Sinkron.Bench.Macro;

/// <summary>CPU time one process spent in a measured window.</summary>
internal readonly record struct CpuUse(string Name, TimeSpan Cpu)
{
    /// <summary>
    /// "CPU per operation: lock1 16.0 µs, …, load generator 9.8 µs; total 41.0 µs, 1.6 of 2 cores
    /// busy": where an operation's cost lands, which on a shared machine moves less than throughput.
    /// </summary>
    public static string PerOperation(IReadOnlyList<CpuUse> uses, long operations, TimeSpan window)
    {
        if (uses.Count == 0 || operations <= 0 || window <= TimeSpan.Zero)
        {
            return "";
        }

        string Micros(TimeSpan cpu) => (cpu.TotalMicroseconds / operations).ToString("0.0", CultureInfo.InvariantCulture) + " µs";
        var total = uses.Aggregate(TimeSpan.Zero, (sum, use) => sum + use.Cpu);
        var busy = (total / window).ToString("0.00", CultureInfo.InvariantCulture);
        return $"CPU per operation: {string.Join(", ", uses.Select(u => $"{u.Name} {Micros(u.Cpu)}"))}; total {Micros(total)}, {busy} of {Environment.ProcessorCount} cores busy";
    }
}

/// <summary>
/// Reads the CPU time (user + system) of the cluster's processes and of this load generator at the
/// start and the end of the measured window. A process that is gone by then is left out.
/// </summary>
internal sealed class CpuMeter(IReadOnlyList<(string Name, int Pid)> processes)
{
    private const string Self = "load generator";
    private readonly Dictionary<string, TimeSpan> _start = [];

    public void Start()
    {
        _start.Clear();
        foreach (var (name, cpu) in Read())
        {
            _start[name] = cpu;
        }
    }

    public IReadOnlyList<CpuUse> Stop() =>
        [.. Read().Where(r => _start.ContainsKey(r.Name)).Select(r => new CpuUse(r.Name, r.Cpu - _start[r.Name]))];

    private IEnumerable<(string Name, TimeSpan Cpu)> Read()
    {
        foreach (var (name, pid) in processes)
        {
            if (CpuOf(pid) is { } used)
            {
                yield return (name, used);
            }
        }

        using var self = Process.GetCurrentProcess();
        yield return (Self, self.TotalProcessorTime);
    }

    private static TimeSpan? CpuOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
