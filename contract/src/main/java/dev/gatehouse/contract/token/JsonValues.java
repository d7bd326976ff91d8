package dev.gatehouse.contract.token;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deeply unmodifiable copies of parsed JSON (maps, lists and scalars), keeping JSON nulls. */
final class JsonValues {
    private JsonValues() {
    }

    static Map<String, Object> freeze(Map<String, ?> map) {
        var copy = new LinkedHashMap<String, Object>(Math.max(16, map.size() * 2));
        map.forEach((name, value) -> copy.put(name, freezeValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object freezeValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            var copy = new LinkedHashMap<String, Object>(Math.max(16, map.size() * 2));
            map.forEach((name, nested) -> copy.put(String.valueOf(name), freezeValue(nested)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            var copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(freezeValue(element));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
