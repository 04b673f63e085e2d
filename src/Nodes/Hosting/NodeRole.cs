namespace Sinkron.Nodes.Hosting;

/// <summary>The service a node process runs, chosen by configuration.</summary>
internal enum NodeRole
{
    Lock,
    Queue,
    Cache,
}
