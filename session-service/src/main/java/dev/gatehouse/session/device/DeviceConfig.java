package dev.gatehouse.session.device;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits of the device flow's user-code checks, under {@code gatehouse.session.device}. A user code has only
 * 20^8 (about 2^34.6) values, so every lookup, approval or denial naming an unknown code counts as a failure against
 * the signed-in user and against a limit shared by all replicas (Redis). Lifetimes and the poll interval are in
 * {@link dev.gatehouse.session.ServerConfig} ({@code device-code-ttl}, {@code device-poll-interval}).
 *
 * @param subjectFailures failed user-code attempts one signed-in user may make per {@code subjectWindow}
 * @param subjectWindow   the fixed window of {@code subjectFailures}
 * @param globalFailures  failed user-code attempts all users together may make per {@code globalWindow}
 * @param globalWindow    the fixed window of {@code globalFailures}
 */
@Context
@ConfigurationProperties("gatehouse.session.device")
public record DeviceConfig(
        @Bindable(defaultValue = DeviceConfig.DEFAULT_SUBJECT_FAILURES) int subjectFailures,
        @Bindable(defaultValue = DeviceConfig.DEFAULT_SUBJECT_WINDOW) @NotNull Duration subjectWindow,
        @Bindable(defaultValue = DeviceConfig.DEFAULT_GLOBAL_FAILURES) int globalFailures,
        @Bindable(defaultValue = DeviceConfig.DEFAULT_GLOBAL_WINDOW) @NotNull Duration globalWindow) {

    public static final String DEFAULT_SUBJECT_FAILURES = "10";
    public static final String DEFAULT_SUBJECT_WINDOW = "10m";
    public static final String DEFAULT_GLOBAL_FAILURES = "1000";
    public static final String DEFAULT_GLOBAL_WINDOW = "1m";
    private static final String PREFIX = "gatehouse.session.device.";

    public DeviceConfig {
        List<String> problems = new ArrayList<>();
        if (subjectFailures < 1) {
            problems.add(PREFIX + "subject-failures: must be at least 1");
        }
        if (globalFailures < 1) {
            problems.add(PREFIX + "global-failures: must be at least 1");
        }
        window(problems, "subject-window", subjectWindow);
        window(problems, "global-window", globalWindow);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    private static void window(List<String> problems, String name, Duration value) {
        if (value == null || value.toMillis() < 1000) {
            problems.add(PREFIX + name + ": must be at least 1s");
        }
    }
}
