using System.Text;
using Sinkron.Nodes.Raft;
using Sinkron.Nodes.Raft.Storage;
using static Sinkron.Tests.Raft.Storage.StorageTestKit;

namespace Sinkron.Tests.Raft.Storage;

public class DurableLogTests
{
    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Appended_entries_and_hard_state_survive_reopen()
    {
        using var dir = new TempDirectory();
        var written = Entries(1, 50, term: 3);
        using (var log = Open(dir))
        {
            log.Persist(new HardState(3, 2, 40), written);
            log.Flush();
        }

        using var reopened = Open(dir);

        Assert.Equal(new HardState(3, 2, 40), reopened.Recovery.HardState);
        Assert.Equal(new HardState(3, 2, 40), reopened.HardState);
        AssertSameEntries(written, reopened.Recovery.Entries);
        AssertSameEntries(written, All(reopened));
        Assert.Equal((50UL, 3UL), (reopened.LastIndex, reopened.LastTerm));
        Assert.False(reopened.Recovery.TruncatedTornTail);
    }

    [Fact]
    public void Every_entry_kind_survives_reopen()
    {
        using var dir = new TempDirectory();
        LogEntry[] written =
        [
            new(1, 1, EntryKind.Noop, default),
            new(2, 1, EntryKind.Command, new byte[] { 7 }),
            new(3, 1, EntryKind.Load, new byte[64]),
        ];
        using (var log = Open(dir))
        {
            log.Persist(new HardState(1, 1, 0), written);
            log.Flush();
        }

        using var reopened = Open(dir);

        AssertSameEntries(written, All(reopened));
    }

    [Fact]
    public void Entries_are_readable_before_they_are_durable_and_ranges_are_checked()
    {
        using var dir = new TempDirectory();
        using var log = Open(dir);
        log.Append(Entries(1, 10));

        var some = new List<LogEntry>();
        Assert.Equal(3, log.GetEntries(4, 7, some));
        Assert.Equal([4UL, 5UL, 6UL], some.ConvertAll(e => e.Index));

        var capped = new List<LogEntry>();
        Assert.Equal(1, log.GetEntries(1, 11, capped, maxBytes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.GetEntries(5, 12, some));
        Assert.True(log.TryGetTerm(10, out var term));
        Assert.Equal(1UL, term);
        Assert.False(log.TryGetTerm(11, out _));
    }

    [Fact]
    public void Many_appends_share_few_fsyncs()
    {
        using var dir = new TempDirectory();
        using var log = Open(dir);
        var before = log.Stats.Fsyncs;

        const int appends = 2000;
        for (ulong i = 1; i <= appends; i++)
        {
            log.Append([Entry(i)]);
        }

        log.Flush();
        var stats = log.Stats;

        Assert.True(stats.Fsyncs - before < appends / 4, $"{stats.Fsyncs - before} fsyncs for {appends} appends");
        Assert.True(stats.Records >= appends);
        Assert.Equal((ulong)appends, log.DurablePosition.Index);
    }

    [Fact]
    public void Unsafe_no_fsync_writes_every_batch_without_an_fsync()
    {
        using var dir = new TempDirectory();
        var written = Entries(1, 20, term: 2);
        using (var log = DurableLog.Open(new DurableLogOptions(dir.Path) { UnsafeNoFsync = true }))
        {
            var before = log.Stats;
            foreach (var entry in written)
            {
                log.Append([entry]);
                Assert.NotNull(log.Sync());
            }

            Assert.Equal(before.Fsyncs, log.Stats.Fsyncs);
            Assert.Equal(before.Batches + written.Length, log.Stats.Batches);
        }

        // Written, only never forced to the device: a reopen (no crash) reads it all back.
        using var reopened = Open(dir);
        AssertSameEntries(written, All(reopened));
    }

    [Fact]
    public void A_mirror_gets_every_batch_the_log_writes_and_the_log_reopens_without_it()
    {
        using var dir = new TempDirectory();
        var mirrorPath = Path.Combine(dir.Path, "mirror");
        var written = Entries(1, 20, term: 2);
        using (var log = DurableLog.Open(new DurableLogOptions(Path.Combine(dir.Path, "log")) { MirrorPath = mirrorPath }))
        {
            foreach (var entry in written)
            {
                log.Append([entry]);
                Assert.NotNull(log.Sync());
            }
        }

        // The mirror holds the segment's bytes from its start (the first segment, before any wrap of the ring).
        var segment = File.ReadAllBytes(Directory.GetFiles(Path.Combine(dir.Path, "log", "wal"))[0]);
        var mirror = File.ReadAllBytes(mirrorPath);
        Assert.True(segment.Length > 0);
        Assert.Equal(segment, mirror.AsSpan(0, segment.Length).ToArray());
        using var reopened = DurableLog.Open(new DurableLogOptions(Path.Combine(dir.Path, "log")));
        AssertSameEntries(written, All(reopened));
    }

    [Fact]
    public void Sync_reports_the_position_once_hard_state_and_entries_are_on_disk()
    {
        using var dir = new TempDirectory();
        TempDirectory? crashImage = null;
        using (var log = Open(dir))
        {
            var sequence = log.Persist(new HardState(7, 3, 0), Entries(1, 5, term: 7));
            Assert.Equal(new DurablePosition(5, 7, sequence), log.Sync());

            // What a crash right after Sync would leave: must already hold the vote and entries.
            crashImage = dir.Copy();
            Assert.Null(log.Sync());
        }

        using (crashImage)
        {
            using var recovered = Open(crashImage);
            Assert.Equal(new HardState(7, 3, 0), recovered.HardState);
            Assert.Equal(5UL, recovered.LastIndex);
        }
    }

    [Fact]
    public void A_change_of_commit_alone_waits_for_the_next_write_that_needs_an_fsync()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir))
        {
            log.SaveHardState(new HardState(3, 2, 0));
            Assert.NotNull(log.Sync());
            var fsyncs = log.Stats.Fsyncs;

            log.SaveHardState(new HardState(3, 2, 4));
            Assert.Null(log.Sync());
            Assert.Equal(fsyncs, log.Stats.Fsyncs);

            log.Append(Entries(1, 5, term: 3));
            Assert.Equal(5UL, log.Sync()!.Value.Index);
            using var crashed = dir.Copy();
            using var recovered = Open(crashed);
            Assert.Equal(new HardState(3, 2, 4), recovered.HardState);
        }
    }

    [Fact]
    public void Overwriting_a_conflicting_suffix_survives_reopen()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir))
        {
            log.Append(Entries(1, 10, term: 1));
            log.TruncateSuffix(8);
            log.Append(Entries(6, 9, term: 2));
            log.Append([Entry(9, 2), Entry(10, 2)]);
            log.Flush();
        }

        using var reopened = Open(dir);

        AssertSameEntries([.. Entries(1, 5, 1), .. Entries(6, 10, 2)], All(reopened));
    }

    [Fact]
    public void Appending_entries_already_in_the_log_writes_nothing()
    {
        using var dir = new TempDirectory();
        using var log = Open(dir);
        var first = log.Append(Entries(1, 5));
        log.Flush();
        var records = log.Stats.Records;

        var again = log.Append(Entries(3, 5));

        Assert.Equal(first, again);
        log.Flush();
        Assert.Equal(records, log.Stats.Records);
    }

    [Fact]
    public void Segments_roll_at_the_configured_size_and_replay_in_order()
    {
        using var dir = new TempDirectory();
        var written = Entries(1, 300);
        using (var log = Open(dir, segmentBytes: 2048))
        {
            foreach (var chunk in written.Chunk(7))
            {
                log.Append(chunk);
            }

            log.SaveHardState(new HardState(1, 1, 250));
            log.Flush();
        }

        var segments = dir.Segments();
        Assert.True(segments.Length > 5, $"{segments.Length} segments");
        Assert.EndsWith("00000000000000000001.seg", segments[0], StringComparison.Ordinal);
        foreach (var segment in segments[..^1])
        {
            Assert.InRange(new FileInfo(segment).Length, 1, 2048);
        }

        using var reopened = Open(dir, segmentBytes: 2048);
        AssertSameEntries(written, All(reopened));
        Assert.Equal(new HardState(1, 1, 250), reopened.HardState);
        Assert.Equal(segments.Length, reopened.Recovery.SegmentsReplayed);
    }

    [Fact]
    public void Snapshot_deletes_covered_segments_and_reopen_gives_snapshot_plus_tail()
    {
        using var dir = new TempDirectory();
        var data = Encoding.UTF8.GetBytes("the lock table at 200");
        int segmentsBefore;
        using (var log = Open(dir, segmentBytes: 2048))
        {
            foreach (var chunk in Entries(1, 250).Chunk(10))
            {
                log.Append(chunk);
            }

            log.SaveHardState(new HardState(1, 1, 240));
            log.Flush();
            segmentsBefore = dir.Segments().Length;

            log.SaveSnapshot(new SnapshotMetadata(200, 1), data);
            Assert.Equal(201UL, log.FirstIndex);
            log.Flush();
        }

        Assert.True(dir.Segments().Length < segmentsBefore, $"{dir.Segments().Length} segments left of {segmentsBefore}");
        using var reopened = Open(dir, segmentBytes: 2048);
        Assert.Equal(new SnapshotMetadata(200, 1), reopened.Snapshot);
        Assert.Equal(new HardState(1, 1, 240), reopened.HardState);
        AssertSameEntries(Entries(201, 250), All(reopened));
        var loaded = reopened.LoadLatestSnapshot();
        Assert.NotNull(loaded);
        Assert.Equal(new SnapshotMetadata(200, 1), loaded.Value.Metadata);
        Assert.Equal(data, loaded.Value.Data);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "snapshots")));
    }

    [Fact]
    public void Snapshot_the_log_does_not_contain_replaces_the_whole_log()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir))
        {
            log.Append(Entries(1, 20, term: 1));
            log.SaveSnapshot(new SnapshotMetadata(30, 4), [1, 2, 3]);
            Assert.Equal((30UL, 4UL), (log.LastIndex, log.LastTerm));
            log.Append(Entries(31, 33, term: 4));
            log.Flush();
        }

        using var reopened = Open(dir);

        Assert.Equal(new SnapshotMetadata(30, 4), reopened.Snapshot);
        AssertSameEntries(Entries(31, 33, term: 4), All(reopened));
    }

    [Fact]
    public void Older_snapshot_is_refused()
    {
        using var dir = new TempDirectory();
        using var log = Open(dir);
        log.Append(Entries(1, 20));
        log.SaveSnapshot(new SnapshotMetadata(10, 1), [1]);

        Assert.Throws<ArgumentException>(() => log.SaveSnapshot(new SnapshotMetadata(10, 1), [2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.TruncateSuffix(10));
    }

    [Fact]
    public void Empty_directory_opens_as_an_empty_log()
    {
        using var dir = new TempDirectory();
        using var log = Open(dir);

        Assert.Equal((1UL, 0UL, 0UL), (log.FirstIndex, log.LastIndex, log.LastTerm));
        Assert.Equal(HardState.Empty, log.HardState);
        Assert.Null(log.LoadLatestSnapshot());
        Assert.Single(dir.Segments());
    }
}
