using Sinkron.Cli;

return await CliApp.RunAsync(args);
