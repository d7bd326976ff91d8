package dev.gatehouse.gateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@link EchoServer} as a child process of the test JVM. */
public final class EchoProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private EchoProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static EchoProcess start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), EchoServer.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null) {
                process.destroyForcibly();
                throw new IllegalStateException("the echo server did not start");
            }
            return new EchoProcess(process, Integer.parseInt(line.strip()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
