package io.tuneforge.registry.ui;

import io.tuneforge.contracts.Json;
import io.tuneforge.registry.rest.Problem;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * quarkus-rest-csrf refuses a form post whose {@code csrf-token} field is missing or does not match the
 * {@code tuneforge_csrf} cookie with a bare 400 and no body — a blank page in the browser. This filter turns that
 * answer into one that says what happened and what to do: the error page for {@code /ui} forms, problem+json
 * elsewhere. It touches only a 400 without a body to a form post, which is exactly the CSRF filter's refusal (every
 * other 400 of this service carries a page or a problem).
 */
public class CsrfRejectionPage {

    static final String TITLE = "Form expired or not sent from this site";
    static final String DETAIL = "The form's security token (csrf-token) was missing or did not match this browser's"
            + " tuneforge_csrf cookie, so nothing was changed. This happens when the form was opened before the"
            + " cookie expired or was cleared, in another browser, or was posted from another site. Go back, reload"
            + " the page and send the form again; if you did not send this form yourself, ignore it.";

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 400 || response.hasEntity() || !HttpMethod.POST.equals(request.getMethod())
                || !isForm(request.getMediaType())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/ui")) {
            response.setEntity(UiErrors.html(400, TITLE, DETAIL), null, MediaType.TEXT_HTML_TYPE);
        } else {
            Problem problem = new Problem("about:blank", TITLE, 400, DETAIL, path);
            response.setEntity(Json.write(problem), null, MediaType.valueOf(Problem.MEDIA_TYPE));
        }
    }

    private static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }
}
