namespace Sinkron.Wire.Messages.Cache;

/// <summary>Sizes a cache node accepts; anything else is answered with INVALID_ARGUMENT.</summary>
public static class CacheLimits
{
    /// <summary>Longest key, in bytes (UTF-8 for string keys). Keys are never empty.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Largest value, in bytes.</summary>
    public const int MaxValueBytes = 1024 * 1024;
}
