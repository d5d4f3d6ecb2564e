using DuplicityChecks.Fuzz;

// The afl++ harness: one process per target, fed by afl-fuzz through SharpFuzz's fork-server emulation.
// Usage: DuplicityChecks.Fuzz <target>        (under afl-fuzz; outside it, runs the target once on stdin)
//        DuplicityChecks.Fuzz --list          (the target names, one a line)
// Any exception FuzzTargets.Execute lets through (anything but the parser's documented refusal, or an oracle
// violation) is what afl records as a crash; an input that runs past afl's -t is a hang.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: DuplicityChecks.Fuzz <target> | --list");
    return 2;
}
if (args[0] == "--list")
{
    foreach (var t in FuzzTargets.All) Console.WriteLine(t.Name);
    return 0;
}
// "selftest": the range target, but an input starting with '!' throws: shows that afl-fuzz records an
// exception as a crash (it needs the instrumented parser for coverage).
var target = args[0] == "selftest"
    ? new FuzzTarget("selftest", "range, crashing on '!'", b =>
    {
        FuzzTargets.Execute(FuzzTargets.Named("range")!, b);
        if (b.Length > 0 && b[0] == '!') throw new InvalidOperationException("selftest crash");
    })
    : FuzzTargets.Named(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}' (--list shows them)");
    return 2;
}
SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Execute(target, buffer.ToArray());
});
return 0;
