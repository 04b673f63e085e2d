using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Microsoft.Win32.SafeHandles;
using Sinkron.Client;
using Sinkron.Nodes.Raft.Storage;

namespace Sinkron.Bench.Macro;

/// <summary>
/// <c>sinkron-bench disk [--streams 1,2,3] [--lockstep] [--duration T] [--dir PATH]</c>: what the WAL's group
/// commit costs on this disk. Each stream appends 4 KiB to a file of its own, over zeros written ahead as the
/// WAL does, and fdatasyncs it, in a loop; the streams run at once, like the fsyncs of three nodes sharing one
/// disk in a one-machine cluster. Prints each stream count's fsync latency and syncs/s in total.
/// With <c>--lockstep</c> the streams start each step together and the step ends when the last fsync is done:
/// what a commit that needs that many durable copies waits for on this disk (a 3-node Raft commit needs two).
/// </summary>
internal static class DiskSyncCommand
{
    private const string Usage = "usage: sinkron-bench disk [--streams 1,2,3] [--lockstep] [--duration 5s] [--dir PATH (default .cluster)]";
    private const int BlockBytes = 4096;
    private const long FileBytes = 16L * 1024 * 1024;
    private const long MaxMicros = 60_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int[] streams = [1, 2, 3];
        var duration = TimeSpan.FromSeconds(5);
        var directory = ".cluster";
        var lockstep = false;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--streams": streams = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                    case "--duration": duration = DurationText.Parse(args[++i]); break;
                    case "--dir": directory = args[++i]; break;
                    case "--lockstep": lockstep = true; break;
                    default: throw new FormatException($"unknown option '{args[i]}'");
                }
            }

            if (streams.Any(n => n < 1))
            {
                throw new FormatException("--streams takes positive counts");
            }
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException)
        {
            await Console.Error.WriteLineAsync($"sinkron-bench disk: {ex.Message}\n{Usage}");
            return 2;
        }

        var scratch = Path.Combine(directory, $"disk-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        try
        {
            var mode = lockstep ? "streams in lockstep, a step ends with the last fsync" : "streams independent";
            Console.WriteLine($"disk: 4 KiB append + fdatasync per step, over zeros written ahead; {mode}; {duration.TotalSeconds:0.#}s per row; nproc {Environment.ProcessorCount}; {Path.GetFullPath(scratch)}");
            Console.WriteLine($"streams   {(lockstep ? "steps/s" : "syncs/s")}   p50 ms   p90 ms   p99 ms");
            foreach (var count in streams)
            {
                var paths = PrepareFiles(scratch, count);
                var all = lockstep ? Lockstep(paths, duration) : await RunStreamsAsync(paths, duration);

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{count,7} {all.TotalCount / duration.TotalSeconds,9:N0} {RunSummary.Ms(all, 50),8:0.000} {RunSummary.Ms(all, 90),8:0.000} {RunSummary.Ms(all, 99),8:0.000}"));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return 0;
    }

    private static string[] PrepareFiles(string scratch, int count)
    {
        var paths = Enumerable.Range(0, count).Select(i => Path.Combine(scratch, $"stream-{i}")).ToArray();
        foreach (var path in paths)
        {
            WriteZeros(path);
        }

        return paths;
    }

    /// <summary>Every stream's fsync latencies in µs, merged.</summary>
    private static async Task<LongHistogram> RunStreamsAsync(string[] paths, TimeSpan duration)
    {
        var threads = paths.Select(path => Task.Factory.StartNew(() => Appends(path, duration), TaskCreationOptions.LongRunning)).ToArray();
        var all = new LongHistogram(MaxMicros, 3);
        foreach (var stream in await Task.WhenAll(threads))
        {
            all.Add(stream);
        }

        return all;
    }

    /// <summary>
    /// Step latencies in µs: every stream's append + fdatasync started at once, timed until the last is done.
    /// Streams wait on events without spinning, as the nodes' threads do, so a step includes their wake-ups.
    /// </summary>
    private static LongHistogram Lockstep(string[] paths, TimeSpan duration)
    {
        var latencies = new LongHistogram(MaxMicros, 3);
        var go = paths.Select(_ => new ManualResetEventSlim(false, spinCount: 0)).ToArray();
        using var done = new ManualResetEventSlim(false, spinCount: 0);
        var running = 0;
        var stop = false;
        var threads = paths.Select((path, i) => new Thread(() =>
        {
            using var appender = new BlockAppender(path);
            while (true)
            {
                go[i].Wait();
                go[i].Reset();
                if (Volatile.Read(ref stop))
                {
                    return;
                }

                appender.AppendAndSync();
                if (Interlocked.Decrement(ref running) == 0)
                {
                    done.Set();
                }
            }
        }) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            done.Reset();
            Volatile.Write(ref running, paths.Length);
            var start = Stopwatch.GetTimestamp();
            foreach (var signal in go)
            {
                signal.Set();
            }

            done.Wait();
            RecordSince(latencies, start);
        }

        Volatile.Write(ref stop, true);
        foreach (var (thread, signal) in threads.Zip(go))
        {
            signal.Set();
            thread.Join();
            signal.Dispose();
        }

        return latencies;
    }

    /// <summary>The file's blocks exist before the timed appends, as the WAL's zeros written ahead make them.</summary>
    private static void WriteZeros(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        var zeros = new byte[1024 * 1024];
        for (long offset = 0; offset < FileBytes; offset += zeros.Length)
        {
            RandomAccess.Write(file, zeros, offset);
        }

        DataSync.Flush(file);
    }

    /// <summary>Latencies in µs, as the load generator records them.</summary>
    private static LongHistogram Appends(string path, TimeSpan duration)
    {
        using var appender = new BlockAppender(path);
        var latencies = new LongHistogram(MaxMicros, 3);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            appender.AppendAndSync();
            RecordSince(latencies, start);
        }

        return latencies;
    }

    private static void RecordSince(LongHistogram latencies, long start)
        => latencies.RecordValue(Math.Clamp((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds, 1, MaxMicros));

    /// <summary>One stream's file: each step writes the next 4 KiB block and fdatasyncs, as a WAL group commit does.</summary>
    private sealed class BlockAppender(string path) : IDisposable
    {
        private readonly SafeFileHandle _file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        private readonly byte[] _block = CreateBlock();
        private long _offset;

        public void AppendAndSync()
        {
            RandomAccess.Write(_file, _block, _offset);
            DataSync.Flush(_file);
            // Wraps around: rewriting a block costs what the first write over its zeros did.
            _offset = (_offset + BlockBytes) % FileBytes;
        }

        public void Dispose() => _file.Dispose();

        private static byte[] CreateBlock()
        {
            var block = new byte[BlockBytes];
            Array.Fill(block, (byte)0x5a);
            return block;
        }
    }
}
