using Microsoft.Win32.SafeHandles;

namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// Diagnostics only: a second copy of every WAL batch in one file on the same disk, fdatasynced on its own thread
/// while the log's own fdatasync runs. A single node with a mirror waits, per commit, for two durable copies on one
/// disk, which is what a 3-node commit on this machine waits for (the leader's copy and one follower's), without the
/// network hop or the follower's work. The file is never read: it is a ring, zeroed in full when opened, so every
/// later write overwrites allocated blocks, as the WAL's own writes do.
/// </summary>
internal sealed class WalMirror : IDisposable
{
    private const long RingBytes = 64L * 1024 * 1024;

    private readonly SafeFileHandle file;
    private readonly Thread flusher;
    private readonly SemaphoreSlim start = new(0);
    private readonly SemaphoreSlim done = new(0);
    private long offset;
    private Exception? failure;
    private volatile bool stopping;

    private WalMirror(SafeFileHandle file)
    {
        this.file = file;
        flusher = new Thread(FlushLoop) { IsBackground = true, Name = "wal-mirror" };
        flusher.Start();
    }

    public static WalMirror Open(string path)
    {
        var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        var zeros = new byte[1024 * 1024];
        for (long at = 0; at < RingBytes; at += zeros.Length)
        {
            RandomAccess.Write(file, zeros, at);
        }

        DataSync.Flush(file);
        return new WalMirror(file);
    }

    /// <summary>Writes <paramref name="bytes"/> after the previous write, wrapping to the start when the ring is full.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (offset + bytes.Length > RingBytes)
        {
            offset = 0;
        }

        RandomAccess.Write(file, bytes, offset);
        offset += bytes.Length;
    }

    /// <summary>Starts the mirror's fdatasync on its thread; <see cref="EndFlush"/> waits for it.</summary>
    public void BeginFlush() => start.Release();

    public void EndFlush()
    {
        done.Wait();
        if (failure is { } e)
        {
            throw new IOException($"the WAL mirror's fdatasync failed: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        stopping = true;
        start.Release();
        flusher.Join();
        file.Dispose();
        start.Dispose();
        done.Dispose();
    }

    private void FlushLoop()
    {
        while (true)
        {
            start.Wait();
            if (stopping)
            {
                return;
            }

            try
            {
                DataSync.Flush(file);
            }
            catch (IOException e)
            {
                failure = e;
            }

            done.Release();
        }
    }
}
