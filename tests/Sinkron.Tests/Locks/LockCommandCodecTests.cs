using System.Buffers;
using Sinkron.Nodes.Locks;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Locks;

public class LockCommandCodecTests
{
    public static TheoryData<int> Commands() => [.. Enumerable.Range(0, Samples.Length)];

    private static readonly LockCommand[] Samples =
    [
        LockCommand.OpenSession(1_700_000_000_000, 0xDEAD_BEEF_0000_0001, 15_000),
        LockCommand.KeepAlive(12, 99),
        LockCommand.CloseSession(13, ulong.MaxValue),
        LockCommand.Acquire(14, 3, 7, 2, "orders/2024/ünïcødé", LockMode.Shared, 250),
        LockCommand.Acquire(15, 3, 8, 8, new string('n', LockCommand.MaxNameBytes), LockMode.Exclusive, LockCommand.WaitForever),
        LockCommand.Release(16, 3, ulong.MaxValue, 0x0102_0304_0506_0708, "orders"),
        LockCommand.Expire(long.MaxValue),
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Round_trips_in_one_segment(int sample)
    {
        var bytes = LockCommandCodec.ToArray(Samples[sample]);

        Assert.True(LockCommandCodec.TryRead(bytes.AsMemory(), out var decoded, out var error), error);
        Assert.Equal(Samples[sample], decoded);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Round_trips_when_split_at_every_byte(int sample)
    {
        var bytes = LockCommandCodec.ToArray(Samples[sample]);
        for (var split = 1; split < bytes.Length; split++)
        {
            var input = Sequences.SplitAt(bytes, split, Math.Max(split, bytes.Length - 3));

            Assert.True(LockCommandCodec.TryRead(input, out var decoded, out var error), error);
            Assert.Equal(Samples[sample], decoded);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_truncation_is_refused(int sample)
    {
        var bytes = LockCommandCodec.ToArray(Samples[sample]);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(LockCommandCodec.TryRead(bytes.AsMemory(0, length), out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        var bytes = LockCommandCodec.ToArray(LockCommand.KeepAlive(1, 2)).Append((byte)0).ToArray();

        Assert.False(LockCommandCodec.TryRead(bytes.AsMemory(), out _, out var error));
        Assert.Contains("unexpected bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kind_bad_mode_and_invalid_utf8_are_refused_with_a_reason()
    {
        byte[] unknownKind = [99, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.False(LockCommandCodec.TryRead(unknownKind.AsMemory(), out _, out var error));
        Assert.Contains("unknown command kind 99", error, StringComparison.Ordinal);

        var badMode = LockCommandCodec.ToArray(LockCommand.Acquire(1, 2, 3, 1, "l", LockMode.Shared, 0));
        badMode[1 + 8 + 8 + 8 + 8] = 5;
        Assert.False(LockCommandCodec.TryRead(badMode.AsMemory(), out _, out error));
        Assert.Contains("mode", error, StringComparison.Ordinal);

        var badName = LockCommandCodec.ToArray(LockCommand.Release(1, 2, 3, 3, "ab"));
        badName[^1] = 0xFF;
        Assert.False(LockCommandCodec.TryRead(badName.AsMemory(), out _, out error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);

        var negativeTtl = LockCommandCodec.ToArray(LockCommand.OpenSession(1, 2, -5));
        Assert.False(LockCommandCodec.TryRead(negativeTtl.AsMemory(), out _, out error));
        Assert.Contains("TTL", error, StringComparison.Ordinal);

        var ackedAboveSeq = LockCommandCodec.ToArray(LockCommand.Release(1, 2, seq: 3, ackedBelow: 4, "l"));
        Assert.False(LockCommandCodec.TryRead(ackedAboveSeq.AsMemory(), out _, out error));
        Assert.Contains("ackedBelow 4 is above seq 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_layout_puts_acked_below_after_the_seq()
    {
        var bytes = LockCommandCodec.ToArray(LockCommand.Acquire(0x11, 0x22, 0x33, 0x30, "n", LockMode.Exclusive, 0x44));

        byte[] expected =
        [
            (byte)LockCommandKind.Acquire,
            0x11, 0, 0, 0, 0, 0, 0, 0,
            0x22, 0, 0, 0, 0, 0, 0, 0,
            0x33, 0, 0, 0, 0, 0, 0, 0,
            0x30, 0, 0, 0, 0, 0, 0, 0,
            (byte)LockMode.Exclusive,
            0x44, 0, 0, 0, 0, 0, 0, 0,
            1, 0, (byte)'n',
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var garbage = new byte[random.Next(0, 64)];
            random.NextBytes(garbage);
            if (garbage.Length > 0 && random.Next(2) == 0)
            {
                garbage[0] = (byte)random.Next(1, 7);
            }

            if (LockCommandCodec.TryRead(garbage.AsMemory(), out var command, out _))
            {
                Assert.Null(command.Validate());
                Assert.Equal(garbage, LockCommandCodec.ToArray(command));
            }
        }
    }
}
