package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.security.ApiTokenMechanism;
import io.tuneforge.registry.security.ApiTokens;
import io.tuneforge.registry.security.TokenOwner;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;

/**
 * Sign-in for the UI with an API token: the token is checked and kept in an HttpOnly, SameSite=Strict cookie (Secure
 * over HTTPS) for {@code tuneforge.registry.auth.session-duration}. The page never shows the token, and does not
 * look at the caller's identity, so a stale cookie cannot send it round in circles.
 */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class SignInPage {

    private static final Logger LOG = Logger.getLogger(SignInPage.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(Chrome chrome, String next, String error, boolean anonymousReads);
    }

    private final ApiTokens tokens;
    private final RegistryConfig config;

    public SignInPage(ApiTokens tokens, RegistryConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    @GET
    @Path("login")
    public TemplateInstance form(@QueryParam("next") String next) {
        return Templates.login(chrome(), safeNext(next), null, anonymousReads());
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("token") String token, @FormParam("next") String next,
                           @Context UriInfo uri) {
        Optional<TokenOwner> owner = tokens.verify(token == null ? null : token.trim());
        if (owner.isEmpty()) {
            LOG.infof("UI sign-in refused: unknown or revoked token");
            return Response.status(401).type(MediaType.TEXT_HTML_TYPE).entity(Templates.login(chrome(),
                    safeNext(next), "That token is unknown or was revoked. Ask an admin for one"
                            + " (POST /api/tokens).", anonymousReads())).build();
        }
        LOG.infof("UI sign-in as %s (%s)", owner.get().name(), owner.get().role());
        return Response.seeOther(URI.create(safeNext(next))).cookie(cookie(token.trim(),
                (int) config.auth().sessionDuration().toSeconds(), uri)).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@Context UriInfo uri) {
        return Response.seeOther(URI.create("/ui/models")).cookie(cookie("", 0, uri)).build();
    }

    /** The sign-in cookie; max age 0 removes it. */
    static NewCookie cookie(String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(ApiTokenMechanism.COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    /** Only a page of this UI; anything else (another host, a protocol-relative URL) goes to the models list. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/ui/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/ui/login")) {
            return "/ui/models";
        }
        return next;
    }

    private boolean anonymousReads() {
        return "reader".equals(config.auth().anonymousRole());
    }

    private static Chrome chrome() {
        return new Chrome("Sign in", "login", null, null, false, UiAssets.CHART_JS);
    }
}
