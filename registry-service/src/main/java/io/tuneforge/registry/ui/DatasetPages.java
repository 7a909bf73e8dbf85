package io.tuneforge.registry.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
import io.tuneforge.registry.persistence.RunFilter;
import io.tuneforge.registry.rest.DatasetSummaryView;
import io.tuneforge.registry.rest.DatasetVersionView;
import io.tuneforge.registry.rest.PageView;
import io.tuneforge.registry.rest.Paging;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.registry.rest.RegistryViews;
import io.tuneforge.registry.rest.RunSummaryView;
import io.tuneforge.registry.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Pages: datasets, and one dataset's versions with the runs that trained on them. */
@Path("/ui/datasets")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
public class DatasetPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance datasets(Chrome chrome, PageView<DatasetSummaryView> datasets, String q);

        static native TemplateInstance dataset(Chrome chrome, String datasetId, List<DatasetVersionView> versions,
                                               List<RunSummaryView> runs);
    }

    private final DatasetVersionRepository datasets;
    private final RegistryViews views;
    private final Paging paging;
    private final UiContext ui;
    private final SecurityIdentity identity;

    public DatasetPages(DatasetVersionRepository datasets, RegistryViews views, Paging paging, UiContext ui,
                        SecurityIdentity identity) {
        this.datasets = datasets;
        this.views = views;
        this.paging = paging;
        this.ui = ui;
        this.identity = identity;
    }

    @GET
    @Transactional
    public TemplateInstance datasets(@QueryParam("q") String q, @QueryParam("page") Integer page) {
        String text = q == null || q.isBlank() ? null : q.trim();
        return Templates.datasets(ui.chrome(identity, "Datasets", "datasets"),
                PageView.of(datasets.datasets(text, null, paging.page(page), paging.size(50)),
                        DatasetSummaryView::from), text == null ? "" : text);
    }

    @GET
    @Path("{datasetId}")
    @Transactional
    public TemplateInstance dataset(@PathParam("datasetId") String datasetId) {
        List<DatasetVersionView> versions = datasets.versions(datasetId).stream().map(DatasetVersionView::from)
                .toList();
        if (versions.isEmpty()) {
            throw ProblemException.notFound("No dataset with id '" + datasetId + "'");
        }
        List<RunSummaryView> runs = views.runs(new RunFilter(null, null, datasetId, null, null), 0, 200).items();
        return Templates.dataset(ui.chrome(identity, datasetId, "datasets"), datasetId, versions, runs);
    }
}
