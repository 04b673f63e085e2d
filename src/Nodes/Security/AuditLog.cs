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
internal sealed class AuditLog : BackgroundService
{
    private readonly Channel<AuditRecord> _queue = Channel.CreateUnbounded<AuditRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly ILogger<AuditLog> _logger;

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
        await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        await using var json = new Utf8JsonWriter(file, new JsonWriterOptions { SkipValidation = true });
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                Drain(reader, json, file);
                await file.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // Records enqueued before shutdown are still written.
        Drain(reader, json, file);
        await file.FlushAsync(CancellationToken.None);
    }

    private void Drain(ChannelReader<AuditRecord> reader, Utf8JsonWriter json, FileStream file)
    {
        try
        {
            while (reader.TryRead(out var record))
            {
                json.Reset(file);
                json.WriteStartObject();
                json.WriteString("time", record.Time);
                json.WriteString("principal", record.Principal);
                json.WriteString("operation", record.Operation);
                json.WriteString("resource", record.Resource);
                json.WriteString("result", record.Result);
                json.WriteEndObject();
                json.Flush();
                file.WriteByte((byte)'\n');
            }
        }
        catch (IOException ex)
        {
            NodeLog.AuditFailed(_logger, ex.Message);
        }
    }
}
