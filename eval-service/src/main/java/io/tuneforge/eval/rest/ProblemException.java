package io.tuneforge.eval.rest;

/** Answers a request with a {@link Problem}: status, title, the detail as message, an optional error code. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String code;

    public ProblemException(int status, String title, String detail, String code) {
        super(detail);
        this.status = status;
        this.title = title;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String code() {
        return code;
    }
}
