using System.Buffers;

namespace Sinkron.Tests.Infrastructure;

/// <summary>Builds multi-segment sequences so parsers are tested across segment boundaries.</summary>
internal static class Sequences
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentSize)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bytes.Length; i += segmentSize)
        {
            var chunk = bytes.Slice(i, Math.Min(segmentSize, bytes.Length - i)).ToArray();
            var segment = new Segment(chunk, last?.RunningIndex + last?.Memory.Length ?? 0);
            if (first is null)
            {
                first = segment;
            }
            else
            {
                last!.SetNext(segment);
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> at the given offsets (ascending; repeated offsets give empty segments).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, params int[] cuts)
    {
        var first = new Segment(data.AsMemory(0, cuts.Length == 0 ? data.Length : cuts[0]), 0);
        var last = first;
        var start = cuts.Length == 0 ? data.Length : cuts[0];
        for (var i = 1; i <= cuts.Length; i++)
        {
            var end = i < cuts.Length ? Math.Max(cuts[i], start) : data.Length;
            var next = new Segment(data.AsMemory(start, end - start), last.RunningIndex + last.Memory.Length);
            last.SetNext(next);
            last = next;
            start = end;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
