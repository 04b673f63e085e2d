using System.Text;
using Sinkron.Wire.Messages.Cache;

namespace Sinkron.Client;

/// <summary>What a cache read returned, and the key's line at the node that answered.</summary>
/// <param name="Found">False when the key was never written, was deleted, or expired.</param>
/// <param name="Value">The value; empty when not found.</param>
/// <param name="State">The MESI state of the key's line at that node after the read.</param>
/// <param name="Version">The key's write count the value belongs to.</param>
public sealed record CacheEntry(bool Found, ReadOnlyMemory<byte> Value, CacheLineState State, ulong Version)
{
    /// <summary>The value as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Value.Span);
}

/// <summary>What a cache write did, and the key's line at the node that answered.</summary>
/// <param name="State">The MESI state of the key's line at that node after the write (M, or E with write-through).</param>
/// <param name="Version">The key's write count after this write.</param>
public readonly record struct CacheWriteResult(CacheLineState State, ulong Version);
