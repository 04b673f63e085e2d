using Sinkron.CertGen;

return CertGenCommand.Run(args, Console.Out, Console.Error);
