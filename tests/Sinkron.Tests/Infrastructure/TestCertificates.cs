using Sinkron.CertGen;

namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// Certificates made once per test run with the real certgen: node, client and admin identities
/// of one cluster CA, plus a "foreign" folder whose client certificate comes from another CA
/// (its ca.crt is the real one, so the client still trusts the node and the node is the one refusing).
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<string> Folder = new(Make);

    public static string Directory => Folder.Value;

    public static string ForeignDirectory => Path.Combine(Path.GetDirectoryName(Folder.Value)!, "foreign");

    private static string Make()
    {
        var root = Path.Combine(Path.GetTempPath(), "sinkron-tests-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        var certs = Path.Combine(root, "certs");
        var foreign = Path.Combine(root, "foreign");
        var log = TextWriter.Null;
        Run(["--out", certs, "--node", "lock1", "lock2", "lock3", "lock4", "cache1", "cache2", "cache3", "queue1", "node1", "--client", "client", "--admin", "admin"]);
        Run(["--out", foreign, "--client", "client"]);
        File.Copy(Path.Combine(certs, "ca.crt"), Path.Combine(foreign, "ca.crt"), overwrite: true);
        return certs;

        void Run(string[] args)
        {
            var error = new StringWriter();
            if (CertGenCommand.Run(args, log, error) != 0)
            {
                throw new InvalidOperationException("certgen failed: " + error);
            }
        }
    }
}
