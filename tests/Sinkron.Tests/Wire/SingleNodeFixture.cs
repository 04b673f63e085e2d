using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Tls;

namespace Sinkron.Tests.Wire;

/// <summary>One real cache-role node shared by the wire tests (the role does not matter to the transport).</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    internal NodeProcess Node { get; private set; } = null!;

    internal TlsMaterial Client { get; private set; } = null!;

    internal TlsMaterial Node1 { get; private set; } = null!;

    internal TlsMaterial Foreign { get; private set; } = null!;

    internal string AuditPath => Path.Combine(Node.DataDirectory, "audit.jsonl");

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetDirectoryName(TestCertificates.Directory)!, "wire-node");
        Node = new NodeProcess("cache", "node1", FreePort.Next(), data, "--max-frame-bytes", "65536", "--max-connections", "64");
        Node.Start();
        await Node.WaitListeningAsync();
        Client = TlsMaterial.Load(TestCertificates.Directory, "client");
        Node1 = TlsMaterial.Load(TestCertificates.Directory, "node1");
        Foreign = TlsMaterial.Load(TestCertificates.ForeignDirectory, "client");
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Client.Dispose();
        Node1.Dispose();
        Foreign.Dispose();
    }
}
