using System.Buffers;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Hosting;

/// <summary>A service a node runs (lock, queue or cache): the frames it answers and what it adds to STATUS.</summary>
internal interface INodeService
{
    /// <summary>True for the message types this service answers.</summary>
    bool Handles(MessageType type);

    /// <summary>Handles one authorized frame; the payload is valid only during the call. Must not block.</summary>
    void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload);

    /// <summary>A connection closed.</summary>
    void OnClosed(ServerConnection connection);

    /// <summary>A batch of frames was dispatched (see <see cref="IFrameHandler.OnReadBatchEnd"/>).</summary>
    void OnReadBatchEnd()
    {
    }

    /// <summary>Adds this service's fields to a STATUS answer.</summary>
    void AddStatus(List<KeyValuePair<string, string>> fields);
}
