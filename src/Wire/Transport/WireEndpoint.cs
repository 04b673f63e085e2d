using System.Globalization;

namespace Sinkron.Wire.Transport;

/// <summary>A node address, written <c>host:port</c>.</summary>
public readonly record struct WireEndpoint(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>.</summary>
    public static bool TryParse(string? text, out WireEndpoint endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        endpoint = new WireEndpoint(text[..colon], port);
        return true;
    }

    /// <summary>Parses <c>host:port</c> or throws with a message naming the bad text.</summary>
    public static WireEndpoint Parse(string text) => TryParse(text, out var endpoint)
        ? endpoint
        : throw new FormatException($"'{text}' is not an address of the form host:port");

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port}";
}
