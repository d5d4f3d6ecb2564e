// The check reads Linux logs through the Linux-only duplicity library (fstat, /proc); say so to the analyzers.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
