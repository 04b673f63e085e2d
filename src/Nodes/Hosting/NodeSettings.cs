using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Hosting;

/// <summary>
/// A node's validated settings. Built from configuration (JSON file, then SINKRON_* environment,
/// then the command line); a bad value stops the node at start with a message naming the setting.
/// </summary>
internal sealed class NodeSettings
{
    public required NodeRole Role { get; init; }

    public required string Id { get; init; }

    public required WireEndpoint Listen { get; init; }

    public required string Certs { get; init; }

    public required string Data { get; init; }

    public required IReadOnlyList<NamedEndpoint> Peers { get; init; }

    public required IReadOnlyList<NamedEndpoint> Redis { get; init; }

    public int MaxConnections { get; init; }

    public TimeSpan IdleTimeout { get; init; }

    public int MaxFrameBytes { get; init; }

    public int ElectionTimeoutMs { get; init; }

    public int HeartbeatMs { get; init; }

    public int SnapshotEvery { get; init; }

    public int RaftLoad { get; init; }

    public bool UnsafeNoFsync { get; init; }

    public string? WalMirror { get; init; }

    public int CacheEntries { get; init; }

    public long CacheBytes { get; init; }

    public bool WriteThrough { get; init; }

    public int VisibilityTimeoutMs { get; init; }

    public int MaxDeliveries { get; init; }

    public int MaxMessageBytes { get; init; }

    /// <summary>Reads and validates every setting.</summary>
    /// <exception cref="SettingsException">A setting is missing or invalid.</exception>
    public static NodeSettings From(IConfiguration config)
    {
        var roleText = Required(config, "Role");
        NodeRole role = roleText.ToLowerInvariant() switch
        {
            "lock" => NodeRole.Lock,
            "queue" => NodeRole.Queue,
            "cache" => NodeRole.Cache,
            _ => throw Bad("Role", roleText, "must be lock, queue or cache"),
        };
        var id = Required(config, "Id");
        if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw Bad("Id", id, "may not contain path characters");
        }

        var listenText = Required(config, "Listen");
        if (!WireEndpoint.TryParse(listenText, out var listen) || !IsLocalHost(listen.Host))
        {
            throw Bad("Listen", listenText, "must be host:port with an IP address or localhost");
        }

        var certs = Required(config, "Certs");
        if (!File.Exists(Path.Combine(certs, "ca.crt")) || !File.Exists(Path.Combine(certs, id + ".crt")))
        {
            throw Bad("Certs", certs, $"must hold ca.crt and {id}.crt/{id}.key made by tools/certgen (dotnet run --project tools/certgen -- --out {certs} --node {id})");
        }

        var peers = Endpoints(config, "Peers");
        if (role is NodeRole.Lock or NodeRole.Cache && peers.Count > 0 && !Contains(peers, id))
        {
            throw Bad("Peers", config["Peers"]!, $"must include this node ('{id}=host:port')");
        }

        var redis = Endpoints(config, "Redis");
        if (role == NodeRole.Queue && redis.Count == 0)
        {
            throw new SettingsException($"setting {SettingInfo.Describe("Redis")} is required for a queue node: id=host:port,...");
        }

        return new NodeSettings
        {
            Role = role,
            Id = id,
            Listen = listen,
            Certs = certs,
            Data = config["Data"] is { Length: > 0 } data ? data : Path.Combine("data", id),
            Peers = peers,
            Redis = redis,
            MaxConnections = Int(config, "MaxConnections", 4096, 1, 1_000_000),
            IdleTimeout = TimeSpan.FromMilliseconds(Int(config, "IdleTimeoutMs", 60_000, 100, int.MaxValue)),
            MaxFrameBytes = Int(config, "MaxFrameBytes", 4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
            ElectionTimeoutMs = Int(config, "ElectionTimeoutMs", 150, 10, 60_000),
            HeartbeatMs = Int(config, "HeartbeatMs", 50, 1, 10_000),
            SnapshotEvery = Int(config, "SnapshotEvery", 100_000, 10, int.MaxValue),
            RaftLoad = Int(config, "RaftLoad", 0, 0, 1_000_000),
            UnsafeNoFsync = Bool(config, "UnsafeNoFsync", false),
            WalMirror = MirrorPath(config),
            CacheEntries = Int(config, "CacheEntries", 100_000, 1, int.MaxValue),
            CacheBytes = Int(config, "CacheBytes", 256 * 1024 * 1024, 1024, int.MaxValue),
            WriteThrough = Bool(config, "WriteThrough", false),
            VisibilityTimeoutMs = Int(config, "VisibilityTimeoutMs", 30_000, 10, int.MaxValue),
            MaxDeliveries = Int(config, "MaxDeliveries", 5, 1, 1000),
            MaxMessageBytes = Int(config, "MaxMessageBytes", 1024 * 1024, 1, 64 * 1024 * 1024),
        };
    }

    private static bool Contains(IReadOnlyList<NamedEndpoint> list, string id)
    {
        foreach (var item in list)
        {
            if (item.Id == id)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLocalHost(string host) => host == "localhost" || IPAddress.TryParse(host, out _);

    private static string Required(IConfiguration config, string key) => config[key] is { Length: > 0 } value
        ? value
        : throw new SettingsException($"setting {SettingInfo.Describe(key)} is required; see --help");

    private static int Int(IConfiguration config, string key, int fallback, int min, int max)
    {
        var text = config[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Bad(key, text, $"must be a whole number from {min} to {max}");
    }

    private static bool Bool(IConfiguration config, string key, bool fallback)
    {
        var text = config[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return bool.TryParse(text, out var value) ? value : throw Bad(key, text, "must be true or false");
    }

    private static List<NamedEndpoint> Endpoints(IConfiguration config, string key)
    {
        var text = config[key];
        var list = new List<NamedEndpoint>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return list;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !WireEndpoint.TryParse(part[(eq + 1)..], out var endpoint))
            {
                throw Bad(key, text, $"'{part}' is not id=host:port");
            }

            if (Contains(list, part[..eq]))
            {
                throw Bad(key, text, $"'{part[..eq]}' appears twice");
            }

            list.Add(new NamedEndpoint(part[..eq], endpoint));
        }

        return list;
    }

    private static string? MirrorPath(IConfiguration config)
    {
        if (config["WalMirror"] is not { Length: > 0 } path)
        {
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return Directory.Exists(folder) ? path : throw Bad("WalMirror", path, $"is in a folder that does not exist ({folder})");
    }

    private static SettingsException Bad(string key, string value, string why)
        => new($"setting {SettingInfo.Describe(key)} = '{value}' {why}");
}

/// <summary>A named member of a cluster.</summary>
internal readonly record struct NamedEndpoint(string Id, WireEndpoint Endpoint);

/// <summary>A node setting is missing or invalid.</summary>
internal sealed class SettingsException(string message) : Exception(message);
