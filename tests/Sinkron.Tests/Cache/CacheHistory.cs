using System.Diagnostics;

namespace Sinkron.Tests.Cache;

/// <summary>
/// Writes and reads of one key as clients saw them, with start and end times on one clock, checked
/// for stale reads. Versions order the writes (the protocol numbers a key's writes), so the check
/// needs no guess about how overlapping writes were ordered:
/// a read must return at least the newest version acknowledged before it started, a read started
/// after another read finished must not go back in versions, the value must be the one written at
/// that version, and — per writer — no read returns a write older than one of that writer's writes
/// acknowledged before the read started.
/// </summary>
internal sealed class CacheHistory
{
    private readonly Lock _gate = new();

    public List<(int Writer, int Seq, string Value, ulong Version, long Start, long End)> Writes { get; } = [];

    public List<(int Reader, string Value, ulong Version, long Start, long End)> Reads { get; } = [];

    public long Now() => Stopwatch.GetTimestamp();

    public void Write(int writer, int seq, string value, ulong version, long start, long end)
    {
        lock (_gate)
        {
            Writes.Add((writer, seq, value, version, start, end));
        }
    }

    public void Read(int reader, string value, ulong version, long start, long end)
    {
        lock (_gate)
        {
            Reads.Add((reader, value, version, start, end));
        }
    }

    public List<string> Violations()
    {
        var problems = new List<string>();
        var byVersion = new Dictionary<ulong, string>();
        foreach (var w in Writes)
        {
            if (!byVersion.TryAdd(w.Version, w.Value))
            {
                problems.Add($"two writes got version {w.Version}: '{byVersion[w.Version]}' and '{w.Value}'");
            }
        }

        foreach (var r in Reads)
        {
            var newestAcked = Writes.Where(w => w.End < r.Start).Select(w => w.Version).DefaultIfEmpty(0UL).Max();
            if (r.Version < newestAcked)
            {
                problems.Add($"reader {r.Reader} read version {r.Version} ('{r.Value}') after version {newestAcked} was acknowledged");
            }

            if (byVersion.TryGetValue(r.Version, out var expected) && expected != r.Value)
            {
                problems.Add($"reader {r.Reader} read '{r.Value}' at version {r.Version}, which wrote '{expected}'");
            }

            var newestRead = Reads.Where(o => o.End < r.Start).Select(o => o.Version).DefaultIfEmpty(0UL).Max();
            if (r.Version < newestRead)
            {
                problems.Add($"reader {r.Reader} read version {r.Version} after another read had returned version {newestRead}");
            }

            if (Parse(r.Value) is { } seen)
            {
                var ackedSeq = Writes.Where(w => w.Writer == seen.Writer && w.End < r.Start).Select(w => w.Seq).DefaultIfEmpty(0).Max();
                if (seen.Seq < ackedSeq)
                {
                    problems.Add($"reader {r.Reader} read '{r.Value}' after writer {seen.Writer}'s write {ackedSeq} was acknowledged");
                }
            }
        }

        return problems;
    }

    private static (int Writer, int Seq)? Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(value.AsSpan(0, colon), out var writer) && int.TryParse(value.AsSpan(colon + 1), out var seq)
            ? (writer, seq)
            : null;
    }
}
