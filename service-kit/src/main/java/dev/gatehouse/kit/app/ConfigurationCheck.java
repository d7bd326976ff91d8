package dev.gatehouse.kit.app;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.core.reflect.ReflectionUtils;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start when a Gatehouse setting is present but cannot be converted to its type. Without this, Micronaut
 * quietly falls back to the default for {@code gatehouse.outbox.poll-interval=soon}; with it, startup stops with
 * {@code gatehouse.outbox.poll-interval: 'soon' is not a valid Duration}. Bean Validation rules (ranges, patterns)
 * are checked by Micronaut when the configuration beans are built.
 */
@Context
public class ConfigurationCheck {
    private static final String OWN_PACKAGE = "dev.gatehouse.";

    public ConfigurationCheck(BeanContext beans, Environment environment) {
        List<String> problems = new ArrayList<>();
        for (BeanDefinition<?> definition : beans.getBeanDefinitions(Qualifiers.byStereotype(ConfigurationProperties.class))) {
            Class<?> type = definition.getBeanType();
            if (type.isRecord() && type.getName().startsWith(OWN_PACKAGE)) {
                check(type, problems, environment);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    private static void check(Class<?> record, List<String> problems, Environment environment) {
        ConfigurationProperties annotation = record.getAnnotation(ConfigurationProperties.class);
        if (annotation == null) {
            return;
        }
        for (RecordComponent component : record.getRecordComponents()) {
            String key = annotation.value() + "." + GatehouseApplication.kebab(component.getName());
            Optional<Object> raw = environment.getProperty(key, Object.class);
            if (raw.isEmpty() || !isScalar(component.getType())) {
                continue;
            }
            if (environment.getProperty(key, ReflectionUtils.getWrapperType(component.getType())).isEmpty()) {
                problems.add(key + ": '" + raw.get() + "' is not a valid " + component.getType().getSimpleName());
            }
        }
    }

    private static boolean isScalar(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || Number.class.isAssignableFrom(type) || type == Boolean.class
                || type.getName().startsWith("java.time.") || type == java.net.URI.class;
    }
}
