using Sinkron.Nodes.Hosting;

// The queue router is all hand-offs (TLS reads, Redis replies, writer loops); on a small machine its
// idle thread-pool workers spinning in sched_yield took ~40 % of its CPU. The pool reads this once,
// when it starts, so it is set before anything runs on it. Other roles keep the default.
if (args.AsSpan().IndexOf("--role") is var role and >= 0 && role + 1 < args.Length && args[role + 1] == "queue")
{
    AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0);
}

return await NodeProgram.RunAsync(args);
