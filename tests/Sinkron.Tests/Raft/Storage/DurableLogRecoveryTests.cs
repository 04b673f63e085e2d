using Sinkron.Nodes.Raft;
using Sinkron.Nodes.Raft.Storage;
using static Sinkron.Tests.Raft.Storage.StorageTestKit;

namespace Sinkron.Tests.Raft.Storage;

public class DurableLogRecoveryTests
{
    [Fact]
    public void Garbage_after_the_last_record_is_cut_off_and_reported()
    {
        using var dir = new TempDirectory();
        WriteLog(dir, Entries(1, 20));
        var segment = dir.Segments()[^1];
        var goodLength = new FileInfo(segment).Length;
        AppendBytes(segment, [0x10, 0, 0, 0, 0xAB, 0xCD, 0xEF, 0x01, 1, 2, 3]);

        using var log = Open(dir);

        AssertSameEntries(Entries(1, 20), All(log));
        Assert.True(log.Recovery.TruncatedTornTail);
        Assert.Equal(goodLength, log.Recovery.TornTailOffset);
        Assert.Equal(11, log.Recovery.TornTailBytes);
        Assert.Contains("truncated a torn tail of 11 bytes", log.Recovery.ToString(), StringComparison.Ordinal);
        Assert.Equal(goodLength, new FileInfo(segment).Length);
    }

    [Fact]
    public void Zeros_written_ahead_are_a_clean_end_after_a_crash_and_cut_on_close()
    {
        using var dir = new TempDirectory();
        TempDirectory crashed;
        using (var log = Open(dir))
        {
            log.Append(Entries(1, 20));
            log.Sync();
            crashed = dir.Copy();
        }

        var closedLength = new FileInfo(dir.Segments()[^1]).Length;
        using (crashed)
        {
            var segment = crashed.Segments()[^1];
            Assert.True(new FileInfo(segment).Length > closedLength, "the open log wrote zeros ahead of its records");
            using (var log = Open(crashed))
            {
                Assert.False(log.Recovery.TruncatedTornTail, log.Recovery.ToString());
                AssertSameEntries(Entries(1, 20), All(log));
                log.Append(Entries(21, 30));
            }

            Assert.True(new FileInfo(segment).Length > closedLength, "the next records went after the last one");
            using var reopened = Open(crashed);
            AssertSameEntries(Entries(1, 30), All(reopened));
        }

        Assert.Equal(closedLength, new FileInfo(dir.Segments()[^1]).Length);
    }

    [Fact]
    public void A_last_record_with_a_bad_checksum_or_zeroed_tail_is_a_torn_write()
    {
        using var dir = new TempDirectory();
        WriteLog(dir, Entries(1, 20));
        var segment = dir.Segments()[^1];
        var bytes = File.ReadAllBytes(segment);
        bytes[^2] ^= 0xFF;
        File.WriteAllBytes(segment, [.. bytes, .. new byte[4096]]);

        using var log = Open(dir);

        AssertSameEntries(Entries(1, 19), All(log));
        Assert.Contains("checksum", log.Recovery.TornTailReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_record_in_the_middle_stops_recovery_naming_file_and_offset()
    {
        using var dir = new TempDirectory();
        WriteLog(dir, Entries(1, 20));
        var segment = dir.Segments()[^1];
        var offset = OffsetOfRecord(File.ReadAllBytes(segment), 5);
        FlipByte(segment, offset + WalRecord.HeaderSize + 3);

        var error = Assert.Throws<InvalidDataException>(() => Open(dir).Dispose());

        Assert.Contains(segment, error.Message, StringComparison.Ordinal);
        Assert.Contains($"byte offset {offset}", error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damage_at_the_end_of_an_earlier_segment_is_corruption_not_a_torn_tail()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir, segmentBytes: 1024))
        {
            foreach (var chunk in Entries(1, 100).Chunk(5))
            {
                log.Append(chunk);
            }

            log.Flush();
        }

        var first = dir.Segments()[0];
        FlipByte(first, new FileInfo(first).Length - 1);

        var error = Assert.Throws<InvalidDataException>(() => Open(dir, segmentBytes: 1024).Dispose());
        Assert.Contains(first, error.Message, StringComparison.Ordinal);
        Assert.Contains("later segments follow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_prefix_of_the_file_recovers_to_a_prefix_of_the_log()
    {
        using var dir = new TempDirectory();
        var written = Entries(1, 40);
        using (var log = Open(dir))
        {
            foreach (var chunk in written.Chunk(3))
            {
                log.Persist(new HardState(chunk[^1].Index, 1, 0), chunk);
                log.Flush();
            }
        }

        var full = File.ReadAllBytes(dir.Segments()[^1]);
        for (var length = 0; length <= full.Length; length += 7)
        {
            using var crashed = dir.Copy();
            File.WriteAllBytes(crashed.Segments()[^1], full[..length]);

            using var log = Open(crashed);

            var recovered = All(log);
            AssertSameEntries(written[..recovered.Count], recovered);
            Assert.True(log.HardState.Term <= (ulong)recovered.Count + 3);
            log.Append([Entry((ulong)recovered.Count + 1, 2)]);
            log.Flush();
        }
    }

    [Fact]
    public void A_crash_between_snapshot_and_its_truncation_marker_drops_the_conflicting_log()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir))
        {
            log.Append(Entries(1, 15, term: 1));
            log.Flush();
        }

        // The snapshot (index 10, term 2) is durable but the WAL never learned of it: entry 10 has term 1.
        var snapshots = new SnapshotStore(Path.Combine(dir.Path, "snapshots"));
        snapshots.Save(new SnapshotMetadata(10, 2), [9]);

        using (var log = Open(dir))
        {
            Assert.Equal((10UL, 2UL), (log.LastIndex, log.LastTerm));
            log.Append(Entries(11, 12, term: 2));
            log.Flush();
        }

        using var reopened = Open(dir);
        AssertSameEntries(Entries(11, 12, term: 2), All(reopened));
    }

    [Fact]
    public void Damaged_snapshot_is_refused_with_its_name()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir))
        {
            log.Append(Entries(1, 5));
            log.SaveSnapshot(new SnapshotMetadata(5, 1), [1, 2, 3, 4]);
            log.Flush();
        }

        var snapshot = Directory.GetFiles(Path.Combine(dir.Path, "snapshots"))[0];
        FlipByte(snapshot, new FileInfo(snapshot).Length - 1);

        var error = Assert.Throws<InvalidDataException>(() => Open(dir).Dispose());
        Assert.Contains(snapshot, error.Message, StringComparison.Ordinal);
    }

    private static void WriteLog(TempDirectory dir, LogEntry[] entries)
    {
        using var log = Open(dir);
        foreach (var entry in entries)
        {
            log.Append([entry]);
        }

        log.Flush();
    }

    /// <summary>Byte offset of the n-th record (0-based) of a segment; record 0 is the segment's hard state.</summary>
    private static int OffsetOfRecord(byte[] segment, int n)
    {
        var offset = 0;
        for (var i = 0; i < n; i++)
        {
            Assert.Null(WalRecord.TryRead(segment, offset, out _, out offset));
        }

        return offset;
    }

    private static void AppendBytes(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Append);
        stream.Write(bytes);
    }
}
