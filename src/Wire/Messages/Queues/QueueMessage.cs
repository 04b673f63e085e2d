namespace Sinkron.Wire.Messages.Queues;

/// <summary>A delivered message: its id, how many times it has been delivered (1 = first time), and its body.</summary>
public sealed record QueueMessage(string Id, uint DeliveryCount, ReadOnlyMemory<byte> Body);
