using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;

namespace Sinkron.CertGen;

/// <summary>
/// The cluster CA: loaded from <c>ca.crt</c>/<c>ca.key</c> when present, made otherwise, and
/// used to issue role certificates. ECDSA P-256 keeps TLS handshakes cheap.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _certificate;

    private CertificateAuthority(X509Certificate2 certificate) => _certificate = certificate;

    /// <summary>Loads the CA from <paramref name="directory"/>, or creates and writes one when there is none.</summary>
    /// <exception cref="CertGenException">The folder cannot be written, or the CA files are damaged.</exception>
    public static CertificateAuthority LoadOrCreate(string directory, TextWriter log)
    {
        var certPath = Path.Combine(directory, "ca.crt");
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certPath) || File.Exists(keyPath))
        {
            try
            {
                var loaded = X509Certificate2.CreateFromPemFile(certPath, keyPath);
                log.WriteLine($"kept CA       {certPath}");
                return new CertificateAuthority(loaded);
            }
            catch (Exception ex) when (ex is CryptographicException or FileNotFoundException or ArgumentException)
            {
                throw new CertGenException(
                    $"the CA in '{directory}' is damaged or incomplete ({ex.Message}). Restore ca.crt and ca.key, or remove both to make a new CA (every certificate must then be remade).", ex);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Sinkron Cluster CA, O=Sinkron", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        PemFiles.Write(certPath, ca.ExportCertificatePem(), keyPath, key.ExportPkcs8PrivateKeyPem());
        log.WriteLine($"made CA       {certPath}");
        return new CertificateAuthority(ca);
    }

    /// <summary>Issues <paramref name="name"/>.crt/.key for <paramref name="role"/> unless they exist.</summary>
    public void IssueIfMissing(string directory, string name, PeerRole role, TextWriter log)
    {
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            log.WriteLine($"kept {CertificateIdentity.RoleUnit(role),-8} {certPath}");
            return;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = $"CN={name}, OU={CertificateIdentity.RoleUnit(role)}, O=Sinkron";
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (role == PeerRole.Node)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_certificate, now.AddMinutes(-5), now.AddYears(2), serial);
        PemFiles.Write(certPath, issued.ExportCertificatePem(), keyPath, key.ExportPkcs8PrivateKeyPem());
        log.WriteLine($"made {CertificateIdentity.RoleUnit(role),-8} {certPath}");
    }

    /// <inheritdoc />
    public void Dispose() => _certificate.Dispose();
}
