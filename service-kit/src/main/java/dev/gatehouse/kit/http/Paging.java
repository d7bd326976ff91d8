package dev.gatehouse.kit.http;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset paging for every list (seed 004: {@code {data, page: {limit, next}}}): items are ordered by a unique key,
 * {@code next} is the opaque base64url of the last key of the page, and {@code after=<next>} continues from it. Each
 * page is one index range scan, however deep, which is what keeps lists fast with tens of thousands of rows.
 *
 * @param after the last key of the previous page, or null for the first page
 * @param limit page size, 1-200 (default 50)
 */
public record Paging(@Nullable String after, int limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** From the query parameters; 400 problem+json for a bad limit or cursor. */
    public static Paging of(@Nullable String after, @Nullable Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "limit must be 1-" + MAX_LIMIT,
                    List.of(new Problem.FieldError("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        String key = null;
        if (after != null && !after.isEmpty()) {
            try {
                key = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                key = null;
            }
            if (key == null || key.isEmpty() || key.length() > 300) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "after is not a cursor of this list",
                        List.of(new Problem.FieldError("after", "must be a page.next value of this list")));
            }
        }
        return new Paging(key, size);
    }

    /** The key to start after: the empty string (sorts first) for the first page. */
    public String afterOrEmpty() {
        return after == null ? "" : after;
    }

    /** Rows to fetch: one more than the limit tells whether a next page exists. */
    public int fetch() {
        return limit + 1;
    }

    /** The page of {@code rows} (fetched with {@link #fetch()}), each item keyed by {@code key}. */
    public <T, V> Page<V> page(List<T> rows, Function<T, String> key, Function<T, V> view) {
        boolean more = rows.size() > limit;
        List<T> items = more ? rows.subList(0, limit) : rows;
        String next = more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.apply(items.get(items.size() - 1)).getBytes(StandardCharsets.UTF_8)) : null;
        return Page.of(items.stream().map(view).toList(), limit, next);
    }
}
