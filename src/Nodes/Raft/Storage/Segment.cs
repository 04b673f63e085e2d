using System.Globalization;

namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// One WAL segment file, <c>wal/{sequence:D20}.seg</c>. <see cref="MaxIndex"/> is the highest log index any of its
/// records mentions: once a snapshot covers it (and it is not the segment being written) the file can go.
/// </summary>
internal sealed class Segment(ulong sequence, string path)
{
    private const string Extension = ".seg";

    public ulong Sequence { get; } = sequence;
    public string Path { get; } = path;
    public ulong MaxIndex { get; set; }
    public long Size { get; set; }

    public static Segment Create(string directory, ulong sequence) =>
        new(sequence, System.IO.Path.Combine(directory, $"{sequence:D20}{Extension}"));

    /// <summary>The segment files in <paramref name="directory"/>, in write order.</summary>
    public static List<Segment> List(string directory)
    {
        var found = new List<Segment>();
        foreach (var path in Directory.GetFiles(directory, "*" + Extension))
        {
            if (ulong.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                found.Add(new Segment(sequence, path));
            }
        }

        found.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return found;
    }
}
