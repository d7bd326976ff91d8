package dev.gatehouse.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a manifest that the Kubernetes API does not have. fabric8 puts whatever its typed model does not know into
 * each object's {@code additionalProperties} (where the API server would drop it, or refuse it with strict field
 * validation); this walks the typed object and reports every such field by its path, e.g.
 * {@code spec.template.spec.containers[0].readinessProbes}.
 */
final class UnknownFields {
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private UnknownFields() {
    }

    static List<String> of(Object resource) {
        if (resource instanceof GenericKubernetesResource) {
            throw new IllegalArgumentException("untyped resource: check its fields explicitly");
        }
        List<String> found = new ArrayList<>();
        walk(resource, "", found, new IdentityHashMap<>());
        return found;
    }

    private static void walk(Object node, String path, List<String> found, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found, seen));
            return;
        }
        if (!node.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            Object value;
            try {
                if (name.equals("getAdditionalProperties")) {
                    if (node instanceof IntOrString || node instanceof Quantity) {
                        continue;
                    }
                    Map<?, ?> extra = (Map<?, ?>) getter.invoke(node);
                    if (extra != null) {
                        extra.keySet().forEach(k -> found.add(join(path, String.valueOf(k))));
                    }
                    continue;
                }
                if (!name.startsWith("get") || name.length() == 3) {
                    continue;
                }
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + name + " of " + node.getClass(), e);
            }
            walk(value, join(path, Character.toLowerCase(name.charAt(3)) + name.substring(4)), found, seen);
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
