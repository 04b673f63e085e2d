namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// Test classes that run lock clusters of real processes, one class at a time: three clusters
/// electing leaders with 150 ms timeouts side by side on two cores would mostly test the scheduler.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LockProcessCollection
{
    public const string Name = "lock processes";
}
