package io.tuneforge.registry.rest;

/** Ends a request with a problem+json response. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    /** A dependency (object store, broker) did not answer; the caller may retry. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Service Unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
