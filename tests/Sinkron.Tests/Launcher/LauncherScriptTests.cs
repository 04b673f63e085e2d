using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace Sinkron.Tests.Launcher;

/// <summary>
/// No pwsh runs on these machines, so run-cluster.ps1 is checked by PowerShell's own parser,
/// and both launchers must offer the same verbs.
/// </summary>
public partial class LauncherScriptTests
{
    private static string RepoFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{name} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void PowerShell_launcher_parses_without_errors()
    {
        Parser.ParseFile(RepoFile("run-cluster.ps1"), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void Both_launchers_offer_the_same_verbs()
    {
        var ast = Parser.ParseFile(RepoFile("run-cluster.ps1"), out _, out _);
        var powershell = ast.FindAll(node => node is SwitchStatementAst { Condition: PipelineAst p } && p.Extent.Text == "$Verb", true)
            .Cast<SwitchStatementAst>().Single()
            .Clauses.Select(c => c.Item1.Extent.Text.Trim('\'')).ToHashSet();

        var bash = File.ReadAllText(RepoFile("run-cluster.sh"));
        var verbBlock = bash[bash.IndexOf("case \"$verb\" in", StringComparison.Ordinal)..];
        var bashVerbs = VerbArm().Matches(verbBlock).Select(m => m.Groups[1].Value).ToHashSet();

        string[] required = ["down", "kill", "logs", "start", "status", "up"];
        Assert.Equal(required, bashVerbs.Where(v => v != "help").Order());
        Assert.Equal(required, powershell.Where(v => v is not ("help" or "default")).Order());
    }

    [GeneratedRegex(@"^  ([a-z]+)\)", RegexOptions.Multiline)]
    private static partial Regex VerbArm();
}
