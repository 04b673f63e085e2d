namespace Sinkron.Nodes.Queues;

/// <summary>Delivery rules of the router.</summary>
internal sealed record QueueOptions(TimeSpan VisibilityTimeout, int MaxDeliveries, int MaxMessageBytes)
{
    /// <summary>How often a group's idle entries are looked for on the consume path.</summary>
    public TimeSpan ReclaimInterval => TimeSpan.FromMilliseconds(Math.Clamp(VisibilityTimeout.TotalMilliseconds / 4, 10, 1000));
}
