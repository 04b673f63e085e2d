using System.Globalization;

namespace Sinkron.Client;

/// <summary>Durations as people type them: <c>500ms</c>, <c>5s</c>, <c>2m</c>, or plain seconds (the CLI and the load generator).</summary>
internal static class DurationText
{
    /// <summary>Parses a duration; <see cref="FormatException"/> names the text when it is not one.</summary>
    public static TimeSpan Parse(string text)
    {
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value * scale)
            : throw new FormatException($"'{text}' is not a duration like 500ms, 5s or 2m");
    }
}
