using Sinkron.Bench;

return await BenchProgram.RunAsync(args);
