using DuplicityChecks.Fuzz;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Fuzz;

/// <summary>
/// Replays, through <see cref="FuzzTargets"/> (the same code the afl++ harness tests/Fuzz runs), every committed
/// seed (<c>Seeds/TARGET/</c>, the start of each corpus) and every minimised crashing input afl found
/// (<c>Crashes/TARGET/</c>, written by tests/Fuzz/run.sh). Each must keep the parser contract: a model, or
/// CheckException / UsageException with a message, nothing else.
/// </summary>
public class FuzzRegressionTests
{
    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "Duplicity.Tests", "Fuzz");

    public static IEnumerable<string> Targets() => FuzzTargets.All.Select(t => t.Name);

    private static IEnumerable<string> Inputs(string kind, string target)
    {
        var dir = Path.Combine(Folder, kind, target);
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal) : [];
    }

    [TestCaseSource(nameof(Targets))]
    public void Every_seed_keeps_the_contract(string target)
    {
        var seeds = Inputs("Seeds", target).ToList();
        seeds.Should().NotBeEmpty($"target {target} needs a committed seed corpus in Fuzz/Seeds/{target}");
        Replay(target, seeds);
    }

    /// <summary>Every saved crash, one case each: a target that afl never crashed has no case, rather than one that
    /// replays nothing and passes.</summary>
    public static IEnumerable<TestCaseData> SavedCrashes()
        => Targets().SelectMany(t => Inputs("Crashes", t).Select(f => new TestCaseData(t, Path.GetFileName(f)).SetName($"Saved_crash_keeps_the_contract({t}, {Path.GetFileName(f)})")));

    [TestCaseSource(nameof(SavedCrashes))]
    public void Every_saved_crash_keeps_the_contract(string target, string file)
        => Replay(target, [Path.Combine(Folder, "Crashes", target, file)]);

    [Test]
    public void The_saved_crashes_are_there()
    {
        // The replay above has a case per file: an emptied (or moved) crash folder would leave no case to fail.
        SavedCrashes().Should().NotBeEmpty("the crashes afl found (Fuzz/Crashes/TARGET/) are committed and replayed");
    }

    [Test]
    public void Every_saved_input_belongs_to_a_target()
    {
        foreach (var kind in new[] { "Seeds", "Crashes" })
        {
            var dir = Path.Combine(Folder, kind);
            if (!Directory.Exists(dir)) continue;
            foreach (var sub in Directory.EnumerateDirectories(dir))
                Targets().Should().Contain(Path.GetFileName(sub), $"{kind}/{Path.GetFileName(sub)} must be named after a fuzz target");
        }
    }

    private static void Replay(string target, IReadOnlyList<string> files)
    {
        var fuzzTarget = FuzzTargets.Named(target)!;
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                FuzzTargets.Execute(fuzzTarget, File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}\n{e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }
        }
        TestContext.Progress.WriteLine($"fuzz {target}: {files.Count} inputs replayed, {failures.Count} broke the contract");
        if (failures.Count > 0) Assert.Fail(string.Join("\n", failures));
    }
}
