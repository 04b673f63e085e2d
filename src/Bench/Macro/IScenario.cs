namespace Sinkron.Bench.Macro;

/// <summary>
/// A load scenario: set up once, then each virtual user calls <see cref="StepAsync"/> in a loop
/// (closed model) or on a schedule (open model). A step runs one or more operations and times
/// each through <see cref="ScenarioContext"/>.
/// </summary>
internal interface IScenario : IAsyncDisposable
{
    /// <summary>Operation names in report order.</summary>
    IReadOnlyList<string> Operations { get; }

    Task SetupAsync(CancellationToken cancellationToken);

    /// <summary>One iteration for <paramref name="user"/>; <paramref name="intendedStart"/> is the scheduled start in the open model.</summary>
    Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken);
}
