using DuplicityChecks.EndToEnd.Tests.Robustness;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>
/// The helper of issue 15 item 11 for real: a stand-in duplicity connects with OpenSSH (ControlMaster=auto,
/// ControlPersist) to an sshd the test starts on 127.0.0.1, as duplicity's ssh backends do, then prints a real
/// collection-status machine log and exits 0. The backgrounded master keeps the stand-in's stderr open; the check
/// must still answer from the log at once, and the master must not outlive it.
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class LiveRunSshControlPersistTests
{
    private const string Now = "1795693077";
    private static readonly string MachineLog = Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "full-plus-incrementals", "06-collection-status-logfd", "log-fd3.txt");

    [Test]
    public void An_ssh_ControlPersist_master_neither_holds_up_the_result_nor_survives_the_check()
    {
        if (!File.Exists("/usr/sbin/sshd") || !File.Exists("/usr/bin/ssh")) Assert.Ignore("openssh-server and openssh-client are needed (packaging/install-deps.sh)");
        if (Environment.UserName != "root") Assert.Ignore("needs root to start sshd");
        using var dir = new TempDir();
        var marker = $"cm{Guid.NewGuid():N}"[..12];
        var sockets = Directory.CreateDirectory(Path.Combine(dir.Path, marker)).FullName;
        foreach (var key in new[] { "host", "client" })
            ProcessRun.Run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir.Path, key)]).ExitCode.Should().Be(0);
        File.Copy(Path.Combine(dir.Path, "client.pub"), Path.Combine(dir.Path, "authorized_keys"));
        Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation folder
        var port = Random.Shared.Next(20000, 40000);
        using var sshd = BackgroundRun.Start("/usr/sbin/sshd", ["-D", "-e", "-f", "/dev/null", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-h", Path.Combine(dir.Path, "host"), "-o", "ListenAddress=127.0.0.1", "-o", $"AuthorizedKeysFile={Path.Combine(dir.Path, "authorized_keys")}",
            "-o", "StrictModes=no", "-o", "UsePAM=no", "-o", "PidFile=none", "-o", "PermitRootLogin=prohibit-password"]);
        var ssh = $"/usr/bin/ssh -F /dev/null -i {dir.Path}/client -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
                  + $"-o ControlMaster=auto -o ControlPersist=300 -o ControlPath={sockets}/%C -p {port} root@127.0.0.1";
        DuplicityLab.WaitFor(() => ProcessRun.Run("/bin/sh", ["-c", $"{ssh.Replace("ControlMaster=auto", "ControlMaster=no")} true"]).ExitCode == 0, "sshd to accept the test key", 20);
        var program = dir.Script("duplicity", $"""
            #!/bin/sh
            for a; do case $a in --log-file=*) log=$(printf %s "$a" | cut -d= -f2-);; esac; done
            {ssh} true || exit 50
            cat {MachineLog} >> "$log"
            exit 0
            """.Replace("\r", ""));
        try
        {
            var r = Checks.Run(Checks.Freshness, ["-d", "file:///srv/none", "--duplicity", program, "--now", Now, "-t", "10"]);
            r.ExitCode.Should().Be(0, r.Stdout);
            r.FirstLine.Should().StartWith("DUPLICITY FRESHNESS OK - last backup 1h ago");
            DuplicityLab.WaitFor(() => ProcessTable.CommandLinesContaining(sockets).Count == 0, "no ssh master left", 5);
        }
        finally
        {
            foreach (var pid in ProcessTable.CommandLinesContaining(sockets)) ProcessTable.Signal(pid, 9);
        }
    }
}
