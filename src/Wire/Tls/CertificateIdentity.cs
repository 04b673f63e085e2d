using System.Security.Cryptography.X509Certificates;
using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Tls;

/// <summary>
/// Who a certificate speaks for: its common name and the role certgen put in the
/// organizational unit (<c>OU=node</c>, <c>OU=client</c>, <c>OU=admin</c>).
/// </summary>
public sealed record CertificateIdentity(string Name, PeerRole Role, string Subject)
{
    /// <summary>The identity of a peer that presented no certificate.</summary>
    public static CertificateIdentity Anonymous { get; } = new("anonymous", PeerRole.None, "");

    /// <summary>The organizational unit naming a role.</summary>
    public static string RoleUnit(PeerRole role) => role switch
    {
        PeerRole.Node => "node",
        PeerRole.Client => "client",
        PeerRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "no certificate carries this role"),
    };

    /// <summary>Reads name and role from a certificate's subject.</summary>
    public static CertificateIdentity From(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return Anonymous;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var role = PeerRole.None;
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (part.GetSingleElementType().FriendlyName == "OU")
            {
                role = part.GetSingleElementValue() switch
                {
                    "node" => PeerRole.Node,
                    "client" => PeerRole.Client,
                    "admin" => PeerRole.Admin,
                    _ => role,
                };
            }
        }

        return new CertificateIdentity(name, role, certificate.Subject);
    }
}
