package dev.gatehouse.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * TCP port helpers: picking free ports for throw-away servers and checking, before anything starts, that the fixed
 * ports of the dev platform are free (a clear "port 8080 is in use" beats a stack trace from the fourth child process).
 */
public final class Ports {

    private Ports() {
    }

    /** A port that was free on 127.0.0.1 a moment ago (the usual small race is accepted). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free TCP port", e);
        }
    }

    /** True when nothing listens on {@code port} on any local address (binds the wildcard address briefly). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts TCP connections on host:port. */
    public static boolean isOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until host:port accepts connections; false on timeout. */
    public static boolean awaitOpen(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isOpen(host, port)) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
