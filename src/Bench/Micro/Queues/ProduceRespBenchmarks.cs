using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sinkron.Nodes.Queues;
using Sinkron.Nodes.Queues.Resp;

namespace Sinkron.Bench.Micro.Queues;

/// <summary>
/// The router's produce pipe per message: writing one XADD of a 100-byte body into the batch buffer (nothing
/// allocated), and reading its reply (the entry id string the client is answered with, and nothing else).
/// </summary>
[BenchmarkCategory("Queue")]
public class ProduceRespBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly byte[] _body = new byte[100];
    private readonly byte[] _reply = "$15\r\n1732612345678-0\r\n"u8.ToArray();

    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public int WriteXAdd()
    {
        _output.ResetWrittenCount();
        RespXAdd.Write(_output, QueueKeys.StreamPrefix, "bench-q-7", QueueKeys.BodyField, _body);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ReadReply()
    {
        RespReply.TryParse(_reply, out var reply, out var consumed);
        return consumed + reply.Text.Length;
    }
}
