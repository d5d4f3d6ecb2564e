using BenchmarkDotNet.Running;

// In-process microbenchmarks of issue 6 (allocations included). The whole-process comparisons are
// packaging/bench/run.sh; this is its "micro" part. Arguments go to BenchmarkDotNet (--filter, --job short...).
BenchmarkSwitcher.FromAssembly(typeof(DuplicityChecks.Benchmarks.Inputs).Assembly).Run(args);
