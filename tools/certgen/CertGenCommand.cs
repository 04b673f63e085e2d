using Sinkron.Wire.Messages;

namespace Sinkron.CertGen;

/// <summary>
/// <c>--out DIR --node NAME… --client NAME… --admin NAME…</c>: makes the CA when missing and
/// one certificate per name. Existing files are kept, so re-running only adds what is new.
/// </summary>
public static class CertGenCommand
{
    public const string Usage = """
        sinkron-certgen: make the cluster CA and role certificates (PEM).

        usage: dotnet run --project tools/certgen -- --out DIR [--node NAME...] [--client NAME...] [--admin NAME...]

          --out DIR        folder for ca.crt/ca.key and NAME.crt/NAME.key (created if missing)
          --node NAME...   node certificates (serverAuth + clientAuth, OU=node)
          --client NAME... client certificates (clientAuth, OU=client)
          --admin NAME...  operator certificates (clientAuth, OU=admin)
          -h, --help       this text

        Every certificate has SANs localhost, 127.0.0.1 and its name. Existing CA and
        certificates are kept; only missing ones are made.
        """;

    /// <summary>Runs certgen; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? outDir = null;
        var wanted = new List<(string Name, PeerRole Role)>();
        var role = PeerRole.None;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    output.WriteLine(Usage);
                    return 0;
                case "--out":
                    if (++i >= args.Length)
                    {
                        error.WriteLine("certgen: --out needs a folder");
                        return 2;
                    }

                    outDir = args[i];
                    break;
                case "--node":
                    role = PeerRole.Node;
                    break;
                case "--client":
                    role = PeerRole.Client;
                    break;
                case "--admin":
                    role = PeerRole.Admin;
                    break;
                default:
                    if (role == PeerRole.None || args[i].StartsWith('-'))
                    {
                        error.WriteLine($"certgen: unexpected '{args[i]}'\n\n{Usage}");
                        return 2;
                    }

                    if (args[i].IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || args[i] is "ca" or "." or "..")
                    {
                        error.WriteLine($"certgen: '{args[i]}' cannot be a certificate name");
                        return 2;
                    }

                    wanted.Add((args[i], role));
                    break;
            }
        }

        if (outDir is null)
        {
            error.WriteLine($"certgen: --out is required\n\n{Usage}");
            return 2;
        }

        try
        {
            Directory.CreateDirectory(outDir);
            using var ca = CertificateAuthority.LoadOrCreate(outDir, output);
            foreach (var (name, kind) in wanted)
            {
                ca.IssueIfMissing(outDir, name, kind, output);
            }

            return 0;
        }
        catch (CertGenException ex)
        {
            error.WriteLine($"certgen: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            error.WriteLine($"certgen: cannot use folder '{outDir}': {ex.Message}");
            return 1;
        }
    }
}
