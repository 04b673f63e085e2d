namespace Sinkron.Nodes.Hosting;

/// <summary>What sinkron-node's exit code tells a launcher or supervisor (also listed by <c>--help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Stopped on request (SIGTERM, Ctrl-C), or <c>--help</c>.</summary>
    public const int Stopped = 0;

    /// <summary>A setting is missing or invalid, or the data folder belongs to another cluster's voters.</summary>
    public const int Settings = 2;

    /// <summary>The listen address could not be bound (in use, or not an address of this machine).</summary>
    public const int Listen = 3;

    /// <summary>The data folder cannot be read or written, or holds a corrupt log or snapshot.</summary>
    public const int Data = 4;

    /// <summary>The lines <c>--help</c> prints.</summary>
    public static string Help =>
        """
        Exit codes:
          0  stopped on request
          2  a setting is missing or invalid, or the data folder belongs to other voters
          3  the listen address cannot be bound
          4  the data folder cannot be read or written, or holds a corrupt log or snapshot
        """;
}
