namespace Sinkron.Nodes.Cache;

/// <summary>
/// What the core produced since the caller last cleared it: bus messages to send (in order, per
/// destination) and client operations that completed. The lists are reused, so draining and
/// clearing allocates nothing in steady state.
/// </summary>
internal sealed class CacheOutput
{
    public List<BusMessage> Messages { get; } = [];

    public List<CacheCompletion> Completions { get; } = [];

    public void Clear()
    {
        Messages.Clear();
        Completions.Clear();
    }
}
