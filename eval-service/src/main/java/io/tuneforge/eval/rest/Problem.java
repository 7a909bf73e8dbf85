package io.tuneforge.eval.rest;

/**
 * An error of the evaluation API, RFC 9457 "Problem Details for HTTP APIs" ({@code application/problem+json}).
 *
 * @param type     URI naming the kind of problem; {@code about:blank} when the HTTP status says it all
 * @param title    short summary of the kind of problem
 * @param status   the HTTP status code
 * @param detail   what went wrong in this case, naming the bad value and what would be right
 * @param instance the request path
 * @param code     the evaluation error code (as in EvaluationFailed), when there is one
 */
public record Problem(String type, String title, int status, String detail, String instance, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
