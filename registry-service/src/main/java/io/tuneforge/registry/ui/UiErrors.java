package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Errors of pages as pages: the status, what went wrong, and a way back (API callers get problem+json). */
public final class UiErrors {

    @CheckedTemplate(basePath = "UiErrors")
    static class Templates {
        static native TemplateInstance error(Chrome chrome, int status, String title, String detail);
    }

    private UiErrors() {
    }

    public static Response page(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(html(status, title, detail)).build();
    }

    /** The error page's HTML. */
    public static String html(int status, String title, String detail) {
        Chrome chrome = new Chrome(title, "", null, null, false, UiAssets.CHART_JS);
        return Templates.error(chrome, status, title, detail).render();
    }
}
