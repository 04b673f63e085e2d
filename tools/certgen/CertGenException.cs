namespace Sinkron.CertGen;

/// <summary>Certgen cannot do what was asked; the message says why and what to do.</summary>
public sealed class CertGenException(string message, Exception? inner = null) : Exception(message, inner);
