using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sinkron.Bench.Macro.Live;

/// <summary>
/// On a terminal: a table of the last seconds redrawn in place, under a progress bar for the
/// whole run (warm-up, then measured) and, while users are still being started, for the ramp.
/// </summary>
internal sealed class TableLiveView(string label) : ILiveView
{
    private const int RowsShown = 12;
    private const int BarWidth = 40;
    private readonly Queue<LiveTick> _recent = new();

    public async Task<T> RunAsync<T>(Func<Action<LiveTick>, Task<T>> run)
    {
        var result = default(T)!;
        await AnsiConsole.Live(Render(null)).AutoClear(false).StartAsync(async context =>
        {
            result = await run(tick =>
            {
                _recent.Enqueue(tick);
                while (_recent.Count > RowsShown)
                {
                    _recent.Dequeue();
                }

                context.UpdateTarget(Render(tick));
            });
        });
        return result;
    }

    private IRenderable Render(LiveTick? last)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(label)}[/]");
        foreach (var column in (string[])["t", "users", "req/s", "p50 ms", "p95 ms", "p99 ms", "failures"])
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var tick in _recent)
        {
            var p = tick.Point;
            table.AddRow(
                tick.Measuring ? $"{p.Second:0}s" : "[grey]warm-up[/]",
                $"{p.Users}",
                $"{p.RequestsPerSecond:N0}",
                $"{p.P50Ms:0.000}",
                $"{p.P95Ms:0.000}",
                $"{p.P99Ms:0.000}",
                p.Failures == 0 ? "0" : $"[red]{p.Failures}[/]");
        }

        var rows = new List<IRenderable> { table };
        if (last is { } now)
        {
            rows.Add(Bar(now.Measuring ? "measuring" : "warm-up", now.Elapsed / now.Total, $"{Math.Min(now.Elapsed.TotalSeconds, now.Total.TotalSeconds):0}/{now.Total.TotalSeconds:0}s"));
            if (now.Point.Users < now.TargetUsers)
            {
                rows.Add(Bar("ramp", now.Point.Users / (double)now.TargetUsers, $"{now.Point.Users}/{now.TargetUsers} users"));
            }
        }

        return new Rows(rows);
    }

    private static Markup Bar(string name, double fraction, string text)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * BarWidth);
        return new Markup($"{name,-10}[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {Markup.Escape(text)}");
    }
}
