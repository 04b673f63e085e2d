namespace Sinkron.Bench.Macro.Live;

/// <summary>How a run reports itself while it goes: plain lines, or a live table on a terminal.</summary>
internal interface ILiveView
{
    /// <summary>Runs <paramref name="run"/>, which calls the given callback once a second.</summary>
    Task<T> RunAsync<T>(Func<Action<LiveTick>, Task<T>> run);
}

/// <summary>Picks the view: the live table only on an interactive terminal, never under CI.</summary>
internal static class LiveViews
{
    public static ILiveView For(string label, TextWriter output)
    {
        var ci = Environment.GetEnvironmentVariable("CI") is { Length: > 0 } value && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
        return ci || output != Console.Out || Console.IsOutputRedirected
            ? new PlainLiveView(label, output)
            : new TableLiveView(label);
    }
}
