using System.Text;

namespace Sinkron.Wire.Messages;

/// <summary>Encoded sizes matching <see cref="SpanWriter"/>, for computing a payload size up front.</summary>
public static class WireSize
{
    /// <summary>Largest string or short byte field: its prefix is a u16.</summary>
    public const int MaxShortField = ushort.MaxValue;

    /// <summary>Size of a u16-prefixed UTF-8 string.</summary>
    public static int String(string value) => 2 + Encoding.UTF8.GetByteCount(value);

    /// <summary>Size of a u16-prefixed byte field.</summary>
    public static int ShortBytes(int length) => 2 + length;

    /// <summary>Size of a u32-prefixed byte field.</summary>
    public static int Bytes(int length) => 4 + length;
}
