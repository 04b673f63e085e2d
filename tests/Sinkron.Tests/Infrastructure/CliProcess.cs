using System.Diagnostics;
using System.Text;

namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// The real <c>sinkron</c> CLI as a child process, for a client that must die the way a client
/// process dies: SIGKILL, no release, no session close, keepalives simply stop.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private CliProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool IsRunning => !_process.HasExited;

    public static CliProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,

            // Away from any .cluster/cli.json a developer may have next to the tests.
            WorkingDirectory = Path.GetDirectoryName(TestCertificates.Directory)!,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sinkron.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var cli = new CliProcess(new Process { StartInfo = info });
        cli._process.OutputDataReceived += (_, e) => cli.Append(e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Append(e.Data);
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
