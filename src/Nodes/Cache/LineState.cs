namespace Sinkron.Nodes.Cache;

/// <summary>The MESI state of one key's line at one node.</summary>
internal enum LineState : byte
{
    Invalid = 0,
    Shared = 1,
    Exclusive = 2,
    Modified = 3,
}
