using System.Text;
using Microsoft.Extensions.Configuration;

namespace Sinkron.Nodes.Hosting;

/// <summary>Builds the node's configuration: JSON file &lt; SINKRON_* environment &lt; command line.</summary>
internal static class NodeConfiguration
{
    public static IConfiguration Build(string[] args)
    {
        var mappings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var info in SettingInfo.All)
        {
            mappings[info.Flag] = info.Key;
        }

        // The command line is read first on its own, to find --config before the file is added beneath it.
        var commandLine = new ConfigurationBuilder().AddCommandLine(args, mappings).Build();
        var builder = new ConfigurationBuilder();
        var file = commandLine["Config"] ?? Environment.GetEnvironmentVariable("SINKRON_CONFIG");
        if (!string.IsNullOrEmpty(file))
        {
            if (!File.Exists(file))
            {
                throw new SettingsException($"setting {SettingInfo.Describe("Config")} = '{file}': no such file");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        return builder.AddEnvironmentVariables("SINKRON_").AddCommandLine(args, mappings).Build();
    }

    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("sinkron-node: one Sinkron node (lock, queue or cache), speaking the binary protocol over mutual TLS.");
        text.AppendLine();
        text.AppendLine("usage: sinkron-node --role lock|queue|cache --id NAME --listen HOST:PORT --certs DIR [settings]");
        text.AppendLine();
        text.AppendLine("Every setting can also come from the environment (SINKRON_KEY) or a JSON file (--config).");
        text.AppendLine("The command line wins over the environment, which wins over the file.");
        text.AppendLine();
        foreach (var info in SettingInfo.All)
        {
            text.AppendLine($"  {info.Flag,-24} {info.Description}");
            text.AppendLine($"  {"",-24} default {info.Default}; env {info.EnvironmentVariable}; key {info.Key}");
        }

        text.AppendLine();
        text.AppendLine(ExitCodes.Help);
        return text.ToString();
    }
}
