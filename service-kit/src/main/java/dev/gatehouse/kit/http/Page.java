package dev.gatehouse.kit.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Every Gatehouse list response: {@code {"data": [...], "page": {"limit": 50, "next": "..."}}} (seed 004: only lists
 * use {@code {data, page}}). Paging is by opaque cursor: pass {@code page.next} back as {@code after} to get the next
 * page; {@code next} is null on the last page.
 *
 * @param data the items of this page
 * @param page where the page ends
 * @param <T>  item type
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS) // serde's default (NON_EMPTY) would drop an empty "data"
public record Page<T>(List<T> data, Info page) {

    public static <T> Page<T> of(List<T> data, int limit, @Nullable String next) {
        return new Page<>(List.copyOf(data), new Info(limit, next));
    }

    /**
     * @param limit the page size asked for
     * @param next  the cursor of the next page, or null when this was the last
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS) // "next": null on the last page, as documented
    public record Info(int limit, @Nullable String next) {
    }
}
