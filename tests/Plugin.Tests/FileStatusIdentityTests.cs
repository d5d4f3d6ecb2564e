using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>
/// FileStatus as the one file identity: its device as statx gives it (major, minor), as /proc/locks prints it, and
/// as stat(2) reports st_dev (the number a saved log position holds); a name looked at without following a link.
/// </summary>
public class FileStatusIdentityTests
{
    [TestCase(8u, 1u, 2049ul)]                                  // sda1
    [TestCase(254u, 0u, 65024ul)]                               // a device-mapper volume, fe:00
    [TestCase(0u, 27u, 27ul)]                                   // tmpfs, an anonymous device
    [TestCase(259u, 0x10001u, 268501761ul)]                     // an NVMe partition with a minor past 255
    [TestCase(0x1000u, 0x100000u, 17596481011712ul)]            // past the kernel's 12-bit major and 20-bit minor
    [TestCase(0xffffffffu, 0xffffffffu, 18446744073709551615ul)]
    public void The_stat_device_is_glibcs_makedev_of_major_and_minor(uint major, uint minor, ulong statDevice)
    {
        var status = new FileStatus(Mode: 0x8180, Owner: 0, Size: 0, Inode: 1, Links: 1, Device: ((ulong)major << 32) | minor);
        status.DeviceMajor.Should().Be(major);
        status.DeviceMinor.Should().Be(minor);
        status.StatDevice.Should().Be(statDevice);
    }

    [TestCase("disk")]
    [TestCase("tmpfs")]
    public void An_open_file_has_the_device_and_inode_that_stat_reports(string where)
    {
        using var dir = where == "tmpfs" ? TempDir.OnTmpfs() : new TempDir();
        var path = dir.File("backup.log", "x\n");
        using var file = File.OpenHandle(path);
        var status = FileStatus.Of(file);
        var stat = TestNativeMethods.StatIdentityOf(path) ?? throw new InvalidOperationException("lstat failed");

        status.StatDevice.Should().Be(stat.Device);
        status.Inode.Should().Be(stat.Inode);
        FileStatus.OfName(path).Should().Be(status);
    }

    [Test]
    public void A_name_is_looked_at_without_following_a_link()
    {
        using var dir = new TempDir();
        var target = dir.File("lockfile", "");
        var link = Path.Combine(dir.Path, "link");
        File.CreateSymbolicLink(link, target);

        var named = FileStatus.OfName(link)!.Value;
        named.IsSymbolicLink.Should().BeTrue();
        named.Inode.Should().Be(TestNativeMethods.StatIdentityOf(link)!.Value.Inode);
        named.Inode.Should().NotBe(FileStatus.OfName(target)!.Value.Inode);
    }

    [Test]
    public void A_missing_name_or_one_with_a_NUL_is_no_file()
    {
        using var dir = new TempDir();
        var path = dir.File("lockfile", "");
        FileStatus.OfName(Path.Combine(dir.Path, "absent")).Should().BeNull();
        FileStatus.OfName(path + "\0x").Should().BeNull("the C string would end at the NUL and name another file");
    }
}
