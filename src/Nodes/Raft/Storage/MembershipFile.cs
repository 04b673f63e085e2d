using System.Text;
using Sinkron.Nodes.Hosting;

namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// The voters a Raft data directory belongs to, in <c>DATA/raft/members</c> (<c>1=lock1,2=lock2,3=lock3</c>).
/// A log written under one membership must never be replayed under another: a node that ran alone committed
/// entries by itself, and starting it beside two others gives the cluster two diverging histories. Sinkron has no
/// membership changes, so a node whose --peers differ from its data refuses to start, naming both.
/// </summary>
internal static class MembershipFile
{
    public const string FileName = "members";

    /// <summary>Records <paramref name="voters"/> on first use of <paramref name="raftDirectory"/>; afterwards checks them.</summary>
    /// <exception cref="SettingsException">The directory belongs to other voters.</exception>
    public static void CheckOrRecord(string raftDirectory, IEnumerable<(ulong Id, string Name)> voters)
    {
        var expected = string.Join(',', voters.OrderBy(v => v.Id).Select(v => $"{v.Id}={v.Name}"));
        var path = Path.Combine(raftDirectory, FileName);
        if (File.Exists(path))
        {
            var recorded = File.ReadAllText(path, Encoding.UTF8).Trim();
            if (recorded != expected)
            {
                throw new SettingsException(
                    $"the Raft data in {raftDirectory} belongs to the voters {recorded}, but this node was started with {expected}; " +
                    "start it with the same --peers, or give it an empty --data folder (membership changes are not supported)");
            }

            return;
        }

        Directory.CreateDirectory(raftDirectory);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encoding.UTF8.GetBytes(expected + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(raftDirectory);
    }
}
