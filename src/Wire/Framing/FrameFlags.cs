namespace Sinkron.Wire.Framing;

/// <summary>Bits in the frame header's flags field.</summary>
[Flags]
public enum FrameFlags : ushort
{
    /// <summary>A request, or a message that expects no reply.</summary>
    None = 0,

    /// <summary>The frame answers the request with the same request id.</summary>
    Response = 1,
}
