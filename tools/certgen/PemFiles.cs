namespace Sinkron.CertGen;

/// <summary>Writes a certificate and its key; the key file is readable by its owner only.</summary>
internal static class PemFiles
{
    public static void Write(string certPath, string certPem, string keyPath, string keyPem)
    {
        try
        {
            File.WriteAllText(keyPath, keyPem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(certPath, certPem);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new CertGenException($"cannot write '{certPath}' / '{keyPath}': {ex.Message}", ex);
        }
    }
}
