package io.tuneforge.registry.rest;

import io.tuneforge.registry.persistence.PageResult;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list endpoint.
 *
 * @param items      this page's items
 * @param page       zero-based page index
 * @param size       page size
 * @param totalItems items over all pages
 * @param totalPages pages over all items
 */
public record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

    /** One-based page number, for people. */
    public int pageNumber() {
        return page + 1;
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return page + 1 < totalPages;
    }

    public int previousPage() {
        return Math.max(0, page - 1);
    }

    public int nextPage() {
        return page + 1;
    }

    public static <E, T> PageView<T> of(PageResult<E> result, Function<? super E, ? extends T> toView) {
        PageResult<T> mapped = result.map(toView);
        return new PageView<>(mapped.items(), mapped.page(), mapped.size(), mapped.total(), mapped.totalPages());
    }
}
