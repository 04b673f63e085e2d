using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sinkron.Cli;

/// <summary>
/// Connection settings written by <c>run-cluster.sh up</c> to <c>.cluster/cli.json</c>, so the
/// CLI works with no flags afterwards. Found through SINKRON_CLI_CONFIG, else by looking for
/// <c>.cluster/cli.json</c> in the current folder and its parents.
/// </summary>
internal sealed class CliConfig
{
    [JsonPropertyName("certs")]
    public string? Certs { get; set; }

    [JsonPropertyName("identity")]
    public string? Identity { get; set; }

    [JsonPropertyName("lockNodes")]
    public List<string> LockNodes { get; set; } = [];

    [JsonPropertyName("queueNodes")]
    public List<string> QueueNodes { get; set; } = [];

    [JsonPropertyName("cacheNodes")]
    public List<string> CacheNodes { get; set; } = [];

    [JsonPropertyName("redisNodes")]
    public List<string> RedisNodes { get; set; } = [];

    public string? SourcePath { get; private set; }

    public static CliConfig Load()
    {
        var path = Environment.GetEnvironmentVariable("SINKRON_CLI_CONFIG");
        if (string.IsNullOrEmpty(path))
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".cluster", "cli.json");
                if (File.Exists(candidate))
                {
                    path = candidate;
                    break;
                }
            }
        }

        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return new CliConfig();
        }

        var config = JsonSerializer.Deserialize(File.ReadAllText(path), CliConfigJson.Default.CliConfig) ?? new CliConfig();
        config.SourcePath = path;
        if (config.Certs is { } certs && !Path.IsPathRooted(certs))
        {
            config.Certs = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, certs));
        }

        return config;
    }
}

[JsonSerializable(typeof(CliConfig))]
internal sealed partial class CliConfigJson : JsonSerializerContext;
