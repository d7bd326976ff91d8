package dev.gatehouse.identity.stack;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Gatehouse service (session-service, tenant-service) running inside the test JVM, in a class loader of its own
 * (its classes plus this JVM's libraries, loaded again), so that its beans never mix with identity-service's. It is
 * the real service: its own configuration files, migrations, controllers and HTTP server on a real port.
 */
final class ServiceInstance implements AutoCloseable {
    private final String name;
    private final URLClassLoader loader;
    private final Object context;
    private final int port;

    private ServiceInstance(String name, URLClassLoader loader, Object context, int port) {
        this.name = name;
        this.loader = loader;
        this.context = context;
        this.port = port;
    }

    /**
     * Starts {@code module}'s compiled classes ({@code <repo>/<module>/target/classes}, built by the reactor with
     * {@code -am}) with {@code properties} in the {@code test} environment, listening on {@code port}.
     */
    static ServiceInstance start(Path repo, String module, int port, Map<String, Object> properties) {
        Path classes = repo.resolve(module).resolve("target").resolve("classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(classes + " is missing: build with ./mvnw -pl identity-service -am ...");
        }
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(classes.toUri().toURL());
            for (String entry : testClassPath()) {
                Path path = Path.of(entry).toAbsolutePath().normalize();
                if (isServiceClasses(path)) {
                    continue;
                }
                urls.add(path.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        URLClassLoader loader = new URLClassLoader(module, urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            var props = new java.util.HashMap<String, Object>(properties);
            props.put("micronaut.server.port", port);
            props.put("micronaut.server.host", "127.0.0.1");
            Class<?> contextType = loader.loadClass("io.micronaut.context.ApplicationContext");
            Class<?> builderType = loader.loadClass("io.micronaut.context.ApplicationContextBuilder");
            Object builder = contextType.getMethod("builder").invoke(null);
            builderType.getMethod("properties", Map.class).invoke(builder, props);
            builderType.getMethod("environments", String[].class).invoke(builder, (Object) new String[]{"test"});
            builderType.getMethod("classLoader", ClassLoader.class).invoke(builder, loader);
            Object context = builderType.getMethod("start").invoke(builder);
            Class<?> serverType = loader.loadClass("io.micronaut.runtime.server.EmbeddedServer");
            Object server = contextType.getMethod("getBean", Class.class).invoke(context, serverType);
            serverType.getMethod("start").invoke(server);
            return new ServiceInstance(module, loader, context, port);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException(module + " did not start: " + cause, cause);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static boolean isServiceClasses(Path path) {
        String p = path.toString().replace(File.separatorChar, '/');
        return p.endsWith("/identity-service/target/classes") || p.endsWith("/identity-service/target/test-classes")
                || p.endsWith("/session-service/target/classes") || p.endsWith("/tenant-service/target/classes")
                || p.contains("/identity-service-") || p.contains("/session-service-") || p.contains("/tenant-service-");
    }

    private static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return List.of(cp.split(File.pathSeparator));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            Method stop = loader.loadClass("io.micronaut.context.LifeCycle").getMethod("stop");
            stop.invoke(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // best effort at the end of the tests
        }
        try {
            loader.close();
        } catch (java.io.IOException e) {
            // ignore
        }
    }
}
