package dev.gatehouse.kit.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a Gatehouse service. When it cannot start because of its configuration, it prints one line per bad key
 * ({@code gatehouse: invalid configuration: gatehouse.outbox.batch-size: must be greater than or equal to 1}) and
 * exits with status 2, instead of a page of stack trace.
 */
public final class GatehouseApplication {
    /** Exit status for a configuration error. */
    public static final int CONFIG_ERROR = 2;
    private static final Pattern PROPERTY_IN_MESSAGE = Pattern.compile("\\[([a-z0-9-]+(?:\\.[a-z0-9\\[\\]-]+)+)]");

    private GatehouseApplication() {
    }

    /**
     * Starts the service.
     *
     * @param service the service's name, as it appears in every log line
     */
    public static ApplicationContext run(String service, Class<?> mainClass, String... args) {
        // Before anything touches logging: logback.xml reads it.
        System.setProperty("gatehouse.service", service);
        return new Launcher().args(args).mainClass(mainClass).banner(false).start();
    }

    /** Micronaut handles startup failures itself (log, exit 1); configuration problems get one line per key instead. */
    private static final class Launcher extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable exception) {
            List<String> problems = describe(exception);
            if (problems.isEmpty()) {
                super.handleStartupException(environment, exception);
                return;
            }
            for (String problem : problems) {
                System.err.println("gatehouse: invalid configuration: " + problem);
            }
            System.err.flush();
            Runtime.getRuntime().halt(CONFIG_ERROR);
        }
    }

    /**
     * Starts (and always stops) an application context with {@code properties} and returns its configuration
     * problems, one per bad key; empty when it starts. No HTTP server is started.
     */
    public static List<String> configurationProblems(Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.builder().properties(properties).build();
        try {
            context.start();
            return List.of();
        } catch (RuntimeException e) {
            List<String> problems = describe(e);
            return problems.isEmpty() ? List.of("not a configuration problem: " + e) : problems;
        } finally {
            try {
                context.stop();
            } catch (RuntimeException e) {
                // a half-started context may fail to stop cleanly; its resources are released either way
            }
        }
    }

    /** The configuration problems behind a startup failure, each naming its key; empty when it was something else. */
    public static List<String> describe(Throwable failure) {
        Set<String> problems = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException invalid) {
                problems.addAll(invalid.problems());
            } else if (t.getMessage() != null && t.getMessage().contains("List of constraint violations")) {
                problems.addAll(violationsIn(t.getMessage()));
            } else if (t instanceof io.micronaut.context.exceptions.ConfigurationException
                    || t instanceof io.micronaut.core.convert.exceptions.ConversionErrorException
                    || isPropertyResolution(t)) {
                String message = firstLine(t.getMessage());
                Matcher property = PROPERTY_IN_MESSAGE.matcher(message);
                problems.add(property.find() ? property.group(1) + ": " + message : message);
            }
            if (t.getCause() == null) {
                break;
            }
        }
        return new ArrayList<>(problems);
    }

    /** Micronaut reports a configuration bean's violations as text: {@code <bean class>.<property> - <message>}. */
    private static final Pattern VIOLATION = Pattern.compile("^\\s*([\\w.$]+)\\.(\\w+) - (.+)$", Pattern.MULTILINE);

    private static List<String> violationsIn(String message) {
        var found = new ArrayList<String>();
        Matcher violation = VIOLATION.matcher(message);
        while (violation.find()) {
            String prefix = configurationPrefix(violation.group(1));
            String property = prefix == null ? violation.group(1) + "." + violation.group(2)
                    : prefix + "." + kebab(violation.group(2));
            found.add(property + ": " + violation.group(3).strip());
        }
        return found;
    }

    private static String configurationPrefix(String className) {
        try {
            ConfigurationProperties properties = Class.forName(className, false,
                    GatehouseApplication.class.getClassLoader()).getAnnotation(ConfigurationProperties.class);
            return properties == null ? null : properties.value();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean isPropertyResolution(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains("Error resolving property value")
                || message.contains("Failed to convert argument"));
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
