namespace Sinkron.Nodes.Ring;

/// <summary>A member of the ring. A node of weight w owns w times the virtual nodes of a node of weight 1.</summary>
internal readonly record struct RingNode(string Id, int Weight = 1);
