namespace Sinkron.Nodes.Hosting;

/// <summary>One node setting as the user sees it: its flag, configuration key, default and meaning.</summary>
internal sealed record SettingInfo(string Flag, string Key, string Default, string Description)
{
    /// <summary>Every setting the node reads; drives <c>--help</c> and the command-line mapping.</summary>
    public static readonly SettingInfo[] All =
    [
        new("--role", "Role", "(required)", "service to run: lock, queue or cache"),
        new("--id", "Id", "(required)", "this node's name; its certificate is CERTS/ID.crt"),
        new("--listen", "Listen", "(required)", "address to listen on, host:port (loopback or a local IP)"),
        new("--certs", "Certs", "(required)", "folder made by certgen: ca.crt, ID.crt, ID.key"),
        new("--data", "Data", "./data/ID", "folder for the Raft log, snapshots and the audit log"),
        new("--peers", "Peers", "(none)", "lock and cache: the cluster, id=host:port,id=host:port (self included)"),
        new("--redis", "Redis", "(none)", "queue: the Redis nodes, id=host:port,id=host:port"),
        new("--max-connections", "MaxConnections", "4096", "connections beyond this are refused"),
        new("--idle-timeout-ms", "IdleTimeoutMs", "60000", "close connections silent for this long"),
        new("--max-frame-bytes", "MaxFrameBytes", "4194304", "largest frame accepted"),
        new("--election-timeout-ms", "ElectionTimeoutMs", "150", "lock: Raft election timeout (randomized up to twice this); lower fails over faster, but a loaded machine then sees spurious elections"),
        new("--heartbeat-ms", "HeartbeatMs", "50", "lock: Raft heartbeat interval"),
        new("--snapshot-every", "SnapshotEvery", "100000", "lock: take a snapshot after this many applied entries (each costs a file write and two fsyncs)"),
        new("--raft-load", "RaftLoad", "0", "lock, benchmark only: while leading, keep this many 64-byte entries in flight, proposed from inside the node; rate and commit latency show in STATUS"),
        new("--unsafe-no-fsync", "UnsafeNoFsync", "false", "lock, diagnostics only: never fsync the Raft log (etcd has the same flag); a crash then loses acknowledged writes. For measuring what the disk costs"),
        new("--wal-mirror", "WalMirror", "(none)", "lock, diagnostics only: also write every Raft log batch to this file and fdatasync it in parallel, committing when both copies are durable; a single node then waits for two durable copies on its disk, as a 3-node commit on one machine does. For measuring the floor a shared disk sets"),
        new("--cache-entries", "CacheEntries", "100000", "cache: lines kept before LRU eviction"),
        new("--cache-bytes", "CacheBytes", "268435456", "cache: value bytes kept before LRU eviction"),
        new("--write-through", "WriteThrough", "false", "cache: make every put durable at the key's home before acknowledging"),
        new("--visibility-timeout-ms", "VisibilityTimeoutMs", "30000", "queue: redeliver messages pending longer than this"),
        new("--max-deliveries", "MaxDeliveries", "5", "queue: dead-letter a message after this many deliveries"),
        new("--max-message-bytes", "MaxMessageBytes", "1048576", "queue: largest message body accepted"),
        new("--config", "Config", "(none)", "a JSON file with any of these keys (e.g. {\"Role\": \"lock\"})"),
    ];

    /// <summary>Environment variable for this setting.</summary>
    public string EnvironmentVariable => "SINKRON_" + Key.ToUpperInvariant();

    /// <summary>How to name this setting in an error message.</summary>
    public static string Describe(string key)
    {
        foreach (var info in All)
        {
            if (info.Key == key)
            {
                return $"{info.Flag} (or {info.EnvironmentVariable})";
            }
        }

        return key;
    }
}
