namespace Sinkron.Client;

/// <summary>Entry point to a Sinkron cluster.</summary>
public sealed class SinkronClient;
