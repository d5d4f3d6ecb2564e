using DuplicityChecks.Plugin;

namespace DuplicityChecks.Plugin.Tests;

public class StateFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("statefile-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string StatePath => Path.Combine(_dir, "sub", "x.state");

    [Test]
    public void Values_survive_a_commit_including_awkward_characters()
    {
        using (var s = StateFile.Open(StatePath, TimeSpan.FromSeconds(1)))
        {
            s.IsNew.Should().BeTrue();
            s.Set("offset", "42");
            s.Set("path", "/var/log/a=b\\c\nd");
            s.Commit();
        }
        using var again = StateFile.Open(StatePath, TimeSpan.FromSeconds(1));
        again.CorruptReason.Should().BeNull();
        again.Get("offset").Should().Be("42");
        again.Get("path").Should().Be("/var/log/a=b\\c\nd");
        Directory.GetFiles(Path.GetDirectoryName(StatePath)!).Select(Path.GetFileName).Should().BeEquivalentTo("x.state", "x.state.lock");
    }

    [TestCase("garbage")]
    [TestCase("# duplicity-checks state v1\noffset=1\n")]
    [TestCase("# duplicity-checks state v1\nno equals sign\n# end\n")]
    [TestCase("")]
    public void A_corrupt_file_is_reported_and_rebuilt(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllText(StatePath, content);
        using (var s = StateFile.Open(StatePath, TimeSpan.FromSeconds(1)))
        {
            s.CorruptReason.Should().NotBeNullOrEmpty();
            s.Values.Should().BeEmpty();
            s.Set("offset", "7");
            s.Commit();
        }
        using var again = StateFile.Open(StatePath, TimeSpan.FromSeconds(1));
        again.CorruptReason.Should().BeNull();
        again.Get("offset").Should().Be("7");
    }

    [Test]
    public void A_second_check_waits_for_the_lock_and_gives_up_with_a_reason()
    {
        using var first = StateFile.Open(StatePath, TimeSpan.FromSeconds(1));
        var second = () => StateFile.Open(StatePath, TimeSpan.FromMilliseconds(200));
        second.Should().Throw<CheckException>().WithMessage("*locked by another check*");
    }

    [Test]
    public void Two_checks_at_once_take_turns()
    {
        // Each worker reads a counter, waits a moment and writes it back plus one: without the lock, updates get lost.
        void Work()
        {
            for (var i = 0; i < 25; i++)
            {
                using var s = StateFile.Open(StatePath, TimeSpan.FromSeconds(30));
                var n = int.Parse(s.Get("n") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                Thread.Sleep(1);
                s.Set("n", (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                s.Commit();
            }
        }
        var a = Task.Run(Work);
        var b = Task.Run(Work);
        Task.WaitAll(a, b);
        using var final = StateFile.Open(StatePath, TimeSpan.FromSeconds(1));
        final.Get("n").Should().Be("50");
    }

    [Test]
    public void The_default_path_is_keyed_by_a_hash_of_what_it_tracks()
    {
        var a = StateFile.PathFor("log", "/var/log/a.log");
        a.Should().StartWith("/var/lib/duplicity-checks/log-").And.EndWith(".state");
        StateFile.PathFor("log", "/var/log/b.log").Should().NotBe(a);
        StateFile.PathFor("log", "/var/log/a.log").Should().Be(a);
    }
}
