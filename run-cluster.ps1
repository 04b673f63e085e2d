<#
.SYNOPSIS
Starts and manages a Sinkron cluster on this machine (loopback only); the PowerShell twin of run-cluster.sh.

.DESCRIPTION
  ./run-cluster.ps1 up [-Single] [-Only lock|queue|cache] [-Data DIR]
  ./run-cluster.ps1 status | down | kill NAME | start NAME | logs NAME [-Follow]

Ports come from $env:SINKRON_BASE_PORT (default 7000): lock1-3 = BASE+1..3, queue1 = BASE+10,
redis1-3 = BASE+21..23, cache1-3 = BASE+31..33. State (pids, logs, data, certificates, the CLI's
cli.json) lives under -Data DIR (default .cluster/).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)] [string] $Verb = 'help',
    [Parameter(Position = 1)] [string] $Name = '',
    [switch] $Single,
    [ValidateSet('', 'lock', 'queue', 'cache')] [string] $Only = '',
    [string] $Data = '',
    [switch] $Follow
)

$ErrorActionPreference = 'Stop'
$Repo = $PSScriptRoot
if (-not $Data) { $Data = Join-Path $Repo '.cluster' }
$Data = [System.IO.Path]::GetFullPath($Data)
$Run = Join-Path $Data 'run'
$Logs = Join-Path $Data 'logs'
$Certs = Join-Path $Data 'certs'
$NodeDll = Join-Path $Repo 'artifacts/bin/Sinkron.Nodes/release/sinkron-node.dll'
$CliDll = Join-Path $Repo 'artifacts/bin/Sinkron.Cli/release/sinkron.dll'
$CertGenDll = Join-Path $Repo 'artifacts/bin/Sinkron.CertGen/release/sinkron-certgen.dll'

$Base = if ($env:SINKRON_BASE_PORT) { [int]$env:SINKRON_BASE_PORT } else { 7000 }
$BaseFile = Join-Path $Run 'base'
# Commands other than `up` act on the cluster as it was started.
if ($Verb -ne 'up' -and (Test-Path $BaseFile)) { $Base = [int](Get-Content $BaseFile) }

function Fail([string] $Message) { Write-Error "run-cluster: $Message"; exit 1 }

function Get-Port([string] $Member) {
    switch -Regex ($Member) {
        '^lock(\d)$' { return $Base + [int]$Matches[1] }
        '^queue1$' { return $Base + 10 }
        '^redis(\d)$' { return $Base + 20 + [int]$Matches[1] }
        '^cache(\d)$' { return $Base + 30 + [int]$Matches[1] }
    }
    Fail "unknown member '$Member'"
}

function Get-Role([string] $Member) { return ($Member -replace '\d+$', '') }

function Get-Members {
    $list = @()
    if (-not $Only -or $Only -eq 'lock') { $list += if ($Single) { @('lock1') } else { @('lock1', 'lock2', 'lock3') } }
    if (-not $Only -or $Only -eq 'queue') { $list += @('redis1', 'redis2', 'redis3', 'queue1') }
    if (-not $Only -or $Only -eq 'cache') { $list += @('cache1', 'cache2', 'cache3') }
    return $list
}

function Get-RecordedMembers {
    $file = Join-Path $Run 'members'
    if (Test-Path $file) { return @(Get-Content $file | Where-Object { $_ }) }
    return @()
}

function Get-Peers([string] $Role) {
    return ((Get-RecordedMembers | Where-Object { (Get-Role $_) -eq $Role } | ForEach-Object { "$_=127.0.0.1:$(Get-Port $_)" }) -join ',')
}

function Get-Pid([string] $Member) {
    $file = Join-Path $Run "$Member.pid"
    if (Test-Path $file) { return [int](Get-Content $file) }
    return $null
}

function Test-Alive([string] $Member) {
    $id = Get-Pid $Member
    if (-not $id) { return $false }
    return [bool](Get-Process -Id $id -ErrorAction SilentlyContinue)
}

function Test-PortBusy([int] $Port) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { $client.Connect('127.0.0.1', $Port); return $true } catch { return $false } finally { $client.Dispose() }
}

# A single-node lock cluster keeps its data apart: a log one node committed alone must never be
# replayed beside two others (the node refuses such data; see MembershipFile).
function Get-DataDir([string] $Member) {
    $locks = @(Get-RecordedMembers | Where-Object { (Get-Role $_) -eq 'lock' })
    if ((Get-Role $Member) -eq 'lock' -and $locks.Count -eq 1) { return (Join-Path $Data "nodes/single-$Member") }
    return (Join-Path $Data "nodes/$Member")
}

function Get-MemberCommand([string] $Member) {
    $port = Get-Port $Member
    switch (Get-Role $Member) {
        'redis' {
            $dir = Join-Path $Data "redis/$Member"
            New-Item -ItemType Directory -Force -Path $dir | Out-Null
            return @('redis-server', '--bind', '127.0.0.1', '--port', "$port", '--dir', $dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no')
        }
        'queue' {
            return @('dotnet', $NodeDll, '--role', 'queue', '--id', $Member, '--listen', "127.0.0.1:$port", '--certs', $Certs, '--data', (Join-Path $Data "nodes/$Member"), '--redis', (Get-Peers 'redis'))
        }
        default {
            $role = Get-Role $Member
            return @('dotnet', $NodeDll, '--role', $role, '--id', $Member, '--listen', "127.0.0.1:$port", '--certs', $Certs, '--data', (Get-DataDir $Member), '--peers', (Get-Peers $role))
        }
    }
}

function Start-Member([string] $Member) {
    if (Test-Alive $Member) { Write-Output "$Member is already running (pid $(Get-Pid $Member))"; return }
    if (Test-PortBusy (Get-Port $Member)) { Fail "port $(Get-Port $Member) for $Member is already in use by another process" }
    New-Item -ItemType Directory -Force -Path $Logs, $Run | Out-Null
    $command = Get-MemberCommand $Member
    $log = Join-Path $Logs "$Member.log"
    $process = Start-Process -FilePath $command[0] -ArgumentList $command[1..($command.Length - 1)] -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru -NoNewWindow
    Set-Content -Path (Join-Path $Run "$Member.pid") -Value $process.Id
}

function Test-Answers([string] $Member) {
    $port = Get-Port $Member
    if ((Get-Role $Member) -eq 'redis') { return ((& redis-cli -p $port ping 2>$null) -eq 'PONG') }
    & dotnet $CliDll ping --node "127.0.0.1:$port" --certs $Certs *> $null
    return $LASTEXITCODE -eq 0
}

function Wait-Ready {
    $deadline = (Get-Date).AddSeconds(60)
    foreach ($member in Get-RecordedMembers) {
        while (-not (Test-Answers $member)) {
            if (-not (Test-Alive $member)) { Fail "$member exited; see ./run-cluster.ps1 logs $member" }
            if ((Get-Date) -gt $deadline) { Fail "$member did not answer within 60 s" }
            Start-Sleep -Milliseconds 200
        }
    }
}

function Write-CliConfig {
    $config = [ordered]@{ certs = $Certs; identity = 'client'; lockNodes = @(); queueNodes = @(); cacheNodes = @(); redisNodes = @() }
    foreach ($member in Get-RecordedMembers) {
        $key = "$(Get-Role $member)Nodes"
        $config[$key] = @($config[$key]) + "127.0.0.1:$(Get-Port $member)"
    }
    $config | ConvertTo-Json | Set-Content -Path (Join-Path $Data 'cli.json')
}

function Show-Table {
    '{0,-8} {1,-6} {2,-16} {3,-8} {4}' -f 'NAME', 'ROLE', 'ADDRESS', 'PID', 'STATE'
    foreach ($member in Get-RecordedMembers) {
        $state = if (Test-Alive $member) { if (Test-Answers $member) { 'up' } else { 'starting' } } else { 'down' }
        $id = Get-Pid $member
        '{0,-8} {1,-6} {2,-16} {3,-8} {4}' -f $member, (Get-Role $member), "127.0.0.1:$(Get-Port $member)", ($(if ($id) { $id } else { '-' })), $state
    }
}

switch ($Verb) {
    'up' {
        New-Item -ItemType Directory -Force -Path $Data, $Run, $Logs | Out-Null
        $running = @(Get-RecordedMembers | Where-Object { Test-Alive $_ })
        if ($running.Count -gt 0) { Write-Output "the cluster in $Data is already up ($($running.Count) processes); nothing changed."; exit 0 }
        Get-Members | Set-Content -Path (Join-Path $Run 'members')
        Set-Content -Path $BaseFile -Value $Base
        foreach ($member in Get-RecordedMembers) {
            if (Test-PortBusy (Get-Port $member)) { Fail "port $(Get-Port $member) for $member is already in use (set SINKRON_BASE_PORT to move the cluster)" }
        }
        if ((Get-RecordedMembers | Where-Object { $_ -like 'redis*' }) -and -not (Get-Command redis-server -ErrorAction SilentlyContinue)) {
            Fail 'redis-server is not installed: install it (apt-get install redis-server) and run again'
        }
        Write-Output 'building (Release)...'
        & dotnet build (Join-Path $Repo 'Sinkron.slnx') -c Release -nologo -v q | Out-Null
        if ($LASTEXITCODE -ne 0) { Fail 'build failed' }
        & dotnet $CertGenDll --out $Certs --node lock1 lock2 lock3 queue1 cache1 cache2 cache3 --client client --admin admin | Out-Null
        Write-CliConfig
        foreach ($member in Get-RecordedMembers) { Start-Member $member }
        Wait-Ready
        Show-Table
        Write-Output "CLI settings: $(Join-Path $Data 'cli.json')"
    }
    'status' {
        if (-not (Get-RecordedMembers)) { Fail "no cluster in $Data; start one with ./run-cluster.ps1 up" }
        Show-Table
    }
    'down' {
        $all = @(Get-RecordedMembers)
        foreach ($member in $all) { if (Test-Alive $member) { Stop-Process -Id (Get-Pid $member) } }
        $deadline = (Get-Date).AddSeconds(15)
        foreach ($member in $all) { while ((Test-Alive $member) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 } }
        foreach ($member in $all) {
            if (Test-Alive $member) { Stop-Process -Id (Get-Pid $member) -Force }
            Remove-Item -Force -ErrorAction SilentlyContinue (Join-Path $Run "$member.pid")
        }
        Remove-Item -Force -ErrorAction SilentlyContinue (Join-Path $Run 'members')
        Write-Output "stopped $($all.Count) processes"
    }
    'kill' {
        if (-not $Name -or -not ((Get-RecordedMembers) -contains $Name)) { Fail 'kill needs a cluster member name (see ./run-cluster.ps1 status)' }
        if (-not (Test-Alive $Name)) { Fail "$Name is not running" }
        Stop-Process -Id (Get-Pid $Name) -Force
        Write-Output "killed $Name (pid $(Get-Pid $Name))"
    }
    'start' {
        if (-not $Name -or -not ((Get-RecordedMembers) -contains $Name)) { Fail 'start needs a cluster member name (see ./run-cluster.ps1 status)' }
        Start-Member $Name
        $deadline = (Get-Date).AddSeconds(60)
        while (-not (Test-Answers $Name)) {
            if ((Get-Date) -gt $deadline) { Fail "$Name did not answer within 60 s" }
            Start-Sleep -Milliseconds 200
        }
        Write-Output "started $Name (pid $(Get-Pid $Name))"
    }
    'logs' {
        $log = Join-Path $Logs "$Name.log"
        if (-not $Name -or -not (Test-Path $log)) { Fail 'logs needs a member name with a log (see ./run-cluster.ps1 status)' }
        if ($Follow) { Get-Content -Path $log -Tail 50 -Wait } else { Get-Content -Path $log }
    }
    'help' { Get-Help $PSCommandPath -Detailed }
    default { Write-Output "unknown verb '$Verb'"; Get-Help $PSCommandPath; exit 2 }
}
