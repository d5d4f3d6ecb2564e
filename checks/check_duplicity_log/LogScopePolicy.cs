namespace DuplicityChecks.Checks.Log;

/// <summary>
/// What each --scope means, decided here and nowhere else: the probe, its run collector and the evaluator ask
/// these questions instead of comparing the scope themselves.
/// </summary>
public static class LogScopePolicy
{
    extension(LogScope scope)
    {
        /// <summary>
        /// new: only what was appended since the previous check is read (the state file and the log tail), and
        /// the evaluation tells a first check, nothing new and a line still being written apart.
        /// </summary>
        public bool ReadsOnlyNew => scope == LogScope.New;

        /// <summary>
        /// last-run: the scan starts at the last run's boundary found backwards, and the most recent run (with the
        /// maintenance runs after it) is what is judged and summarised; new and all judge every run they read.
        /// </summary>
        public bool JudgesLastRunOnly => scope == LogScope.LastRun;

        /// <summary>What the summary calls the part of the log that was read.</summary>
        public string ReadName => scope == LogScope.New ? "new output" : "log";

        /// <summary>Where a run was looked for, before the log's path.</summary>
        public string SearchedIn => scope == LogScope.New ? "in the new output of" : "in";
    }
}
