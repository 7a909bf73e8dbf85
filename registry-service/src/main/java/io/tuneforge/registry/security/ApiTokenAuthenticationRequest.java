package io.tuneforge.registry.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API token presented in {@code Authorization: Bearer ...} or the UI's sign-in cookie. */
public class ApiTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenAuthenticationRequest[token hidden]";
    }
}
