package io.tuneforge.registry.persistence;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a query's result.
 *
 * @param items the rows of this page, in the query's order
 * @param page  zero-based page index
 * @param size  page size asked for
 * @param total rows over all pages
 */
public record PageResult<T>(List<T> items, int page, int size, long total) {

    public int totalPages() {
        return size == 0 ? 0 : (int) ((total + size - 1) / size);
    }

    public <R> PageResult<R> map(Function<? super T, ? extends R> mapper) {
        return new PageResult<>(items.stream().<R>map(mapper).toList(), page, size, total);
    }
}
