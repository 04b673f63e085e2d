using System.Text;
using Sinkron.Nodes.Raft;
using Sinkron.Nodes.Raft.Storage;

namespace Sinkron.Tests.Raft.Storage;

/// <summary>A data directory deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sinkron-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string Wal => System.IO.Path.Combine(Path, "wal");

    public string[] Segments()
    {
        var files = Directory.GetFiles(Wal, "*.seg");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>A copy of the whole data directory as it is now: what a crash at this instant would leave.</summary>
    public TempDirectory Copy()
    {
        var copy = new TempDirectory();
        foreach (var file in Directory.GetFiles(Path, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(copy.Path, System.IO.Path.GetRelativePath(Path, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

internal static class StorageTestKit
{
    /// <summary>Damages one byte of a data file in place, as a bad disk sector or a stray write would.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0x5A));
    }

    public static DurableLog Open(TempDirectory directory, long segmentBytes = 64L * 1024 * 1024) =>
        DurableLog.Open(new DurableLogOptions(directory.Path) { SegmentBytes = segmentBytes });

    public static LogEntry Entry(ulong index, ulong term = 1) =>
        new(index, term, EntryKind.Command, Encoding.UTF8.GetBytes($"entry {index} of term {term}"));

    public static LogEntry[] Entries(ulong from, ulong to, ulong term = 1)
    {
        var entries = new LogEntry[to - from + 1];
        for (var i = from; i <= to; i++)
        {
            entries[i - from] = Entry(i, term);
        }

        return entries;
    }

    public static void AssertSameEntries(IReadOnlyList<LogEntry> expected, IReadOnlyList<LogEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Index, expected[i].Term, expected[i].Kind), (actual[i].Index, actual[i].Term, actual[i].Kind));
            Assert.True(expected[i].Data.Span.SequenceEqual(actual[i].Data.Span), $"data of entry {expected[i].Index} differs");
        }
    }

    public static List<LogEntry> All(DurableLog log)
    {
        var entries = new List<LogEntry>();
        if (log.LastIndex >= log.FirstIndex)
        {
            log.GetEntries(log.FirstIndex, log.LastIndex + 1, entries);
        }

        return entries;
    }
}
