using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sinkron.Wire.Tls;

/// <summary>
/// The one TLS policy of the cluster: TLS 1.3, ALPN <c>sinkron/1</c>, and peers trusted only
/// when they chain to the cluster CA (custom root trust, no system roots, no revocation fetch:
/// the cluster has no network beyond itself).
/// </summary>
public static class TlsPolicy
{
    /// <summary>The ALPN protocol both sides must offer; it also turns away stray HTTP clients.</summary>
    public static readonly SslApplicationProtocol Alpn = new("sinkron/1");

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A chain policy that accepts only certificates issued by <paramref name="authority"/> for the given usage.</summary>
    public static X509ChainPolicy ChainPolicy(X509Certificate2 authority, bool peerIsServer)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(authority);
        policy.ApplicationPolicy.Add(peerIsServer ? ServerAuth : ClientAuth);
        return policy;
    }

    /// <summary>Options for a client (or a node dialing a peer) connecting to a node.</summary>
    public static SslClientAuthenticationOptions ClientOptions(TlsMaterial material, string targetHost) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = SslProtocols.Tls13,
        ApplicationProtocols = [Alpn],
        ClientCertificateContext = SslStreamCertificateContext.Create(material.Certificate, additionalCertificates: null, offline: true),
        CertificateChainPolicy = ChainPolicy(material.Authority, peerIsServer: true),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };
}
