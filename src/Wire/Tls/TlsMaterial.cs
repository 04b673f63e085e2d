using System.Security.Cryptography.X509Certificates;

namespace Sinkron.Wire.Tls;

/// <summary>
/// The cluster CA and one identity's certificate and key, loaded from a certgen folder
/// (<c>ca.crt</c>, <c>NAME.crt</c>, <c>NAME.key</c>, all PEM).
/// </summary>
public sealed class TlsMaterial : IDisposable
{
    private TlsMaterial(X509Certificate2 authority, X509Certificate2 certificate)
    {
        Authority = authority;
        Certificate = certificate;
    }

    /// <summary>The cluster CA every peer must chain to.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>This identity's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Loads <paramref name="name"/>'s certificate and the CA from <paramref name="directory"/>.</summary>
    /// <exception cref="TlsConfigurationException">A file is missing or unreadable; the message names it.</exception>
    public static TlsMaterial Load(string directory, string name)
    {
        var caPath = Path.Combine(directory, "ca.crt");
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        foreach (var path in (string[])[caPath, certPath, keyPath])
        {
            if (!File.Exists(path))
            {
                throw new TlsConfigurationException(
                    $"certificate file '{path}' is missing; make certificates with: dotnet run --project tools/certgen -- --out {directory} ...");
            }
        }

        try
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caPath);
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);

            // Keys imported from PEM are ephemeral; a PKCS#12 round trip gives SslStream a key it can use on every platform.
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
            return new TlsMaterial(authority, certificate);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new TlsConfigurationException($"cannot read certificate '{certPath}' or key '{keyPath}': {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Authority.Dispose();
        Certificate.Dispose();
    }
}
