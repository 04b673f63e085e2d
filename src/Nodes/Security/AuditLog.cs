using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Hosting;

namespace Sinkron.Nodes.Security;

/// <summary>
/// The node's audit trail: JSON lines (time, principal, operation, resource, result) appended
/// to <c>DATA/audit.jsonl</c>. Callers only enqueue; a background loop drains whatever has
/// accumulated and writes it as one batch, so auditing never sits on a request's path.
/// </summary>
/// <remarks>
/// The loop waits <see cref="BatchWindow"/> after the first record of a batch: waking per record
/// cost a lock leader thousands of thread hand-offs a second under load, and a line lands at most
/// that much later.
/// </remarks>
internal sealed class AuditLog : BackgroundService
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>A backlog is written in pieces of about this size, so the buffer stays small.</summary>
    private const int WriteBytes = 64 * 1024;

    /// <summary>
    /// The file is fsynced after about this much: left to the kernel, a busy lock leader's audit
    /// trail (6 MB/s at 40,000 operations/s) was written back in 200 MB bursts every 30 s, which
    /// stalled the Raft log's fsyncs behind it; written out as it goes, the disk sees it evenly.
    /// </summary>
    private const int SyncBytes = 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _batch = new(WriteBytes + 4096);
    private readonly Channel<AuditRecord> _queue = Channel.CreateUnbounded<AuditRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly ILogger<AuditLog> _logger;
    private long _unsynced;

    public AuditLog(NodeSettings settings, ILogger<AuditLog> logger)
    {
        _path = System.IO.Path.Combine(settings.Data, "audit.jsonl");
        _logger = logger;
    }

    public string FilePath => _path;

    public void Write(string principal, string operation, string resource, string result)
        => _queue.Writer.TryWrite(new AuditRecord(DateTimeOffset.UtcNow, principal, operation, resource, result));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        await using var json = new Utf8JsonWriter(_batch, new JsonWriterOptions { SkipValidation = true });
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(BatchWindow, stoppingToken);
                Drain(reader, json, file);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // Records enqueued before shutdown are still written.
        Drain(reader, json, file);
    }

    private void WriteOut(FileStream file)
    {
        file.Write(_batch.WrittenSpan);
        _unsynced += _batch.WrittenCount;
        _batch.ResetWrittenCount();
        if (_unsynced >= SyncBytes)
        {
            file.Flush(flushToDisk: true);
            _unsynced = 0;
        }
    }

    private void Drain(ChannelReader<AuditRecord> reader, Utf8JsonWriter json, FileStream file)
    {
        try
        {
            while (reader.TryRead(out var record))
            {
                json.Reset(_batch);
                json.WriteStartObject();
                json.WriteString("time", record.Time);
                json.WriteString("principal", record.Principal);
                json.WriteString("operation", record.Operation);
                json.WriteString("resource", record.Resource);
                json.WriteString("result", record.Result);
                json.WriteEndObject();
                json.Flush();
                _batch.Write("\n"u8);
                if (_batch.WrittenCount >= WriteBytes)
                {
                    WriteOut(file);
                }
            }

            WriteOut(file);
        }
        catch (IOException ex)
        {
            NodeLog.AuditFailed(_logger, ex.Message);
        }
        finally
        {
            _batch.ResetWrittenCount();
        }
    }
}
