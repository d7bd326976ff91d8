package dev.gatehouse.devstack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stopping child processes politely: SIGTERM first (Kafka flushes its logs, the services drain requests and a JVM
 * writing an AOT cache finishes it), SIGKILL only after a grace period, and never leaving grandchildren behind.
 */
public final class Processes {

    private Processes() {
    }

    /**
     * Sends SIGTERM, waits up to {@code grace}, then SIGKILLs the process and its descendants. Returns true when it
     * exited within the grace period.
     */
    public static boolean terminate(Process process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean clean = waitFor(process, grace);
        if (!clean) {
            descendants = concat(descendants, process.descendants().toList());
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        return clean;
    }

    /** Waits for exit; false on timeout. Keeps the interrupt flag. */
    public static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * {@code command} run through {@code setsid} (util-linux) when available, so the child gets its own session and
     * process group. Why: Ctrl-C in a terminal signals the whole foreground process group; without this the services
     * and Kafka would all get SIGINT at the same moment, and the ordered shutdown (services first, then Kafka) would not
     * happen. setsid execs in place, so the child's pid stays the one {@link Process} knows.
     */
    public static List<String> detached(List<String> command) {
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(setsid))) {
                List<String> result = new java.util.ArrayList<>(command.size() + 1);
                result.add(setsid);
                result.addAll(command);
                return result;
            }
        }
        return command;
    }

    private static List<ProcessHandle> concat(List<ProcessHandle> a, List<ProcessHandle> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().toList();
    }
}
