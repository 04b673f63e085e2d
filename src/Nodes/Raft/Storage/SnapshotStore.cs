using System.Buffers.Binary;
using System.Globalization;

namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// Snapshot files in <c>snapshots/</c>, named <c>{index:D20}-{term:D20}.snap</c>, each
/// <c>u32 magic "SNP1" | u32 crc32c(data) | u64 index | u64 term | u64 length | data</c>.
/// Saved as temp file → fsync → rename → directory fsync, so a crash leaves either the old or the new one whole.
/// Only the latest is kept.
/// </summary>
internal sealed class SnapshotStore
{
    private const uint Magic = 0x3150_4E53;
    private const int HeaderSize = 32;
    private const string Extension = ".snap";
    private const string TempExtension = ".snap.tmp";

    private readonly string directory;

    public SnapshotStore(string directory)
    {
        this.directory = directory;
        Directory.CreateDirectory(directory);
        foreach (var leftover in Directory.GetFiles(directory, "*" + TempExtension))
        {
            File.Delete(leftover);
        }
    }

    /// <summary>Writes and makes durable; then deletes the older snapshots.</summary>
    public void Save(SnapshotMetadata metadata, ReadOnlySpan<byte> data)
    {
        var path = PathFor(metadata);
        var temp = path[..^Extension.Length] + TempExtension;
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32C.Compute(data));
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], metadata.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], metadata.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)data.Length);
        using (var file = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(file, header, 0);
            RandomAccess.Write(file, data, HeaderSize);
            RandomAccess.FlushToDisk(file);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(directory);
        foreach (var (older, _) in List())
        {
            if (older != path)
            {
                File.Delete(older);
            }
        }
    }

    /// <summary>The newest snapshot, verified; null when there is none. A damaged one throws: it was durable once.</summary>
    public (SnapshotMetadata Metadata, byte[] Data)? LoadLatest()
    {
        var all = List();
        if (all.Count == 0)
        {
            return null;
        }

        var (path, metadata) = all[^1];
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new InvalidDataException($"snapshot {path}: not a snapshot file (bad header at byte offset 0)");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24));
        var index = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8));
        var term = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
        if (length != (ulong)(bytes.Length - HeaderSize) || index != metadata.Index || term != metadata.Term)
        {
            throw new InvalidDataException($"snapshot {path}: header says index {index} term {term} length {length}, file has {bytes.Length - HeaderSize} data bytes");
        }

        var data = bytes.AsSpan(HeaderSize);
        if (Crc32C.Compute(data) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)))
        {
            throw new InvalidDataException($"snapshot {path}: checksum mismatch over the data at byte offset {HeaderSize}");
        }

        return (metadata, data.ToArray());
    }

    /// <summary>Snapshot files sorted oldest first.</summary>
    public List<(string Path, SnapshotMetadata Metadata)> List()
    {
        var found = new List<(string Path, SnapshotMetadata Metadata)>();
        foreach (var path in Directory.GetFiles(directory, "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0
                && ulong.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && ulong.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var term))
            {
                found.Add((path, new SnapshotMetadata(index, term)));
            }
        }

        found.Sort(static (a, b) => a.Metadata.Index.CompareTo(b.Metadata.Index));
        return found;
    }

    private string PathFor(SnapshotMetadata metadata) =>
        Path.Combine(directory, $"{metadata.Index:D20}-{metadata.Term:D20}{Extension}");
}
