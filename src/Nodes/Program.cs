using Sinkron.Nodes.Hosting;

return await NodeProgram.RunAsync(args);
