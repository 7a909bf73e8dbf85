package io.tuneforge.cli.platform;

import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tuneforge status}: one row per component of the local platform. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show each component of the local platform: pid, whether it runs, its health"
                + " (/q/health/ready of a service; the listening ports of the infrastructure) and its address.",
                "Exit code 0 when everything is up and healthy, 3 otherwise."})
public final class StatusCommand implements Callable<Integer> {

    /** Exit code when some component is not up. */
    public static final int NOT_ALL_UP = 3;

    @Override
    public Integer call() {
        LocalPlatform platform = new LocalPlatform(PlatformHome.locate());
        List<LocalPlatform.ComponentStatus> rows = platform.status();
        print(rows, System.out);
        return LocalPlatform.allUp(rows) ? 0 : NOT_ALL_UP;
    }

    static void print(List<LocalPlatform.ComponentStatus> rows, PrintStream out) {
        String format = "%-17s %-8s %-6s %-7s %s%n";
        out.printf(format, "COMPONENT", "PID", "ALIVE", "HEALTH", "ADDRESS");
        for (LocalPlatform.ComponentStatus r : rows) {
            out.printf(format, r.component(), r.pid() == null ? "—" : r.pid(), r.alive() ? "yes" : "no", r.health(),
                    r.address());
        }
    }
}
