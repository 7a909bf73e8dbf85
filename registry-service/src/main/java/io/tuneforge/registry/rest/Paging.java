package io.tuneforge.registry.rest;

import io.tuneforge.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks the {@code page} and {@code size} query parameters of list endpoints. */
@ApplicationScoped
public class Paging {

    private final RegistryConfig config;

    public Paging(RegistryConfig config) {
        this.config = config;
    }

    /** @throws ProblemException 400 naming the bad parameter and value */
    public int page(Integer page) {
        if (page == null) {
            return 0;
        }
        if (page < 0) {
            throw ProblemException.badRequest("Query parameter 'page' must be 0 or more (pages count from 0), got "
                    + page);
        }
        return page;
    }

    /** @throws ProblemException 400 naming the bad parameter, its value and the allowed range */
    public int size(Integer size) {
        int max = config.api().maxPageSize();
        if (size == null) {
            return Math.min(config.api().defaultPageSize(), max);
        }
        if (size < 1 || size > max) {
            throw ProblemException.badRequest("Query parameter 'size' must be between 1 and " + max + ", got " + size);
        }
        return size;
    }
}
