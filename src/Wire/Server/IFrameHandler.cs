using System.Buffers;
using Sinkron.Wire.Framing;

namespace Sinkron.Wire.Server;

/// <summary>
/// The service logic behind a listener. Frames arrive after HELLO, authorization and the
/// built-in PING; the payload is valid only during the call, so a handler decodes what it
/// keeps. Handlers must not block: they answer through <see cref="ServerConnection.Outbox"/>
/// now or later, and the connection flushes after each batch of frames.
/// </summary>
public interface IFrameHandler
{
    /// <summary>Handles one frame.</summary>
    void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload);

    /// <summary>The connection closed; release anything tied to it.</summary>
    void OnClosed(ServerConnection connection);

    /// <summary>
    /// A batch of frames from <paramref name="connection"/> was dispatched and the connection flushed.
    /// A handler that queued the frames' work may do it here, on the read loop's thread, in one go.
    /// </summary>
    void OnReadBatchEnd(ServerConnection connection)
    {
    }
}
