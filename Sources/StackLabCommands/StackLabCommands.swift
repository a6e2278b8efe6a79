#if canImport(Glibc)
import Glibc
#endif

/// Entry point of the `stacklab` executable.
public enum StackLabCommands {
    public static func exitWithStatus(of arguments: [String]) -> Never {
        exit(0)
    }
}
