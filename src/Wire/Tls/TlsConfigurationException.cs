namespace Sinkron.Wire.Tls;

/// <summary>Certificates or keys cannot be loaded; the message says which file and what to do.</summary>
public sealed class TlsConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public TlsConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
