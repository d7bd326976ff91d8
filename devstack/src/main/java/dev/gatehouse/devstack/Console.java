package dev.gatehouse.devstack;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress output of the launcher: one {@code [gatehouse]} line per step, with elapsed times.
 *
 * <p>Why a class: several threads (Kafka starting in the background, services starting in parallel) print at once, and
 * every line must come out whole and in the same format, so the wrapper script can grep it and humans can scan it.
 */
public final class Console {

    private static volatile PrintStream out = System.out;

    private Console() {
    }

    /** Sends progress lines somewhere else (tests use stderr so surefire reports stay readable). */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    /** Prints {@code [gatehouse] <what padded> <message>}. */
    public static void step(String what, String message) {
        line(String.format(Locale.ROOT, "%-16s %s", what, message));
    }

    /** Prints {@code [gatehouse] <message>}. */
    public static void line(String message) {
        PrintStream s = out;
        synchronized (Console.class) {
            s.println("[gatehouse] " + message);
            s.flush();
        }
    }

    /** Prints text as is (the summary box, log tails). */
    public static void raw(String text) {
        PrintStream s = out;
        synchronized (Console.class) {
            s.println(text);
            s.flush();
        }
    }

    /** Seconds since {@code startNanos}, formatted like {@code 1.8 s}. */
    public static String since(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
