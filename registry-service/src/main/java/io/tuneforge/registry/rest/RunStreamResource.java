package io.tuneforge.registry.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.tuneforge.registry.security.Roles;
import io.tuneforge.registry.service.RegistryChanged;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Live run status as server-sent events: one {@link RunUpdate} each time a run changes in this replica (a training
 * event applied, a request submitted, a cancel requested, its model version registered). The runs list and the run
 * page of the UI listen here. With several registry replicas each stream carries the events its replica consumed,
 * so pages also reload their data when the stream reconnects.
 */
@ApplicationScoped
@Path("/api/stream/runs")
@RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
@Tag(name = "Runs")
public class RunStreamResource {

    private static final Logger LOG = Logger.getLogger(RunStreamResource.class);

    private final RegistryViews views;
    private final BroadcastProcessor<RunUpdate> updates = BroadcastProcessor.create();

    public RunStreamResource(RegistryViews views) {
        this.views = views;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: the run as it is now, each time it changes")
    public Multi<RunUpdate> stream(@Parameter(description = "Only this run's updates") @QueryParam("runId")
                                   String runId) {
        Multi<RunUpdate> all = updates;
        return runId == null || runId.isBlank() ? all : all.filter(u -> u.run().runId().equals(runId));
    }

    /** Called after the change committed (CDI event); reads the run's new state and pushes it to every listener. */
    void onChange(@Observes RegistryChanged change) {
        if (change.runId() == null) {
            return;
        }
        try {
            RunUpdate update = views.update(change.runId(), change.step());
            if (update != null) {
                synchronized (updates) {
                    updates.onNext(update);
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Could not push the change of run %s: %s", change.runId(), e.getMessage());
        }
    }
}
