using Sinkron.Bench.Macro;

namespace Sinkron.Tests.Bench;

public class CpuUseTests
{
    [Fact]
    public void Each_process_cpu_is_divided_by_the_operations_and_the_total_by_the_window()
    {
        CpuUse[] uses = [new("lock1", TimeSpan.FromMilliseconds(160)), new("lock2", TimeSpan.FromMilliseconds(80)), new("load generator", TimeSpan.FromMilliseconds(100))];

        var line = CpuUse.PerOperation(uses, operations: 10_000, window: TimeSpan.FromMilliseconds(200));

        Assert.Equal($"CPU per operation: lock1 16.0 µs, lock2 8.0 µs, load generator 10.0 µs; total 34.0 µs, 1.70 of {Environment.ProcessorCount} cores busy", line);
    }

    [Fact]
    public void Nothing_measured_gives_no_line()
    {
        Assert.Equal("", CpuUse.PerOperation([], operations: 100, window: TimeSpan.FromSeconds(1)));
        Assert.Equal("", CpuUse.PerOperation([new("lock1", TimeSpan.FromSeconds(1))], operations: 0, window: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_meter_sees_the_load_generator_spend_cpu_in_its_window()
    {
        var meter = new CpuMeter([]);
        var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        meter.Start();

        // Busy until the kernel has charged this process at least 20 ms more (or 10 s pass).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before < TimeSpan.FromMilliseconds(20) && DateTime.UtcNow < deadline)
        {
            Thread.SpinWait(10_000);
        }

        var use = Assert.Single(meter.Stop());
        Assert.Equal("load generator", use.Name);
        Assert.True(use.Cpu > TimeSpan.Zero, "the meter saw no CPU spent between Start and Stop");
    }
}
