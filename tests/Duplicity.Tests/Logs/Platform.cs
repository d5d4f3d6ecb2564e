// The duplicity library is Linux-only (fstat, /proc); so are its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
