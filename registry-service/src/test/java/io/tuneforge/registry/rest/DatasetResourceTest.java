package io.tuneforge.registry.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.persistence.DatasetVersionEntity;
import io.tuneforge.registry.persistence.DatasetVersionRepository;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** {@code /api/datasets} over rows committed to the real database. */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
class DatasetResourceTest {

    @Inject
    DatasetVersionRepository versions;

    @Test
    void listsDatasetsAndTheirVersions() {
        String id = uniqueId("ds-rest");
        insert(id, 1, 2);

        given().queryParam("size", 200).get("/api/datasets")
                .then().statusCode(200)
                .body("items.datasetId", hasItem(id))
                .body("items.find { it.datasetId == '" + id + "' }.latestVersion", equalTo(2))
                .body("items.find { it.datasetId == '" + id + "' }.versionCount", equalTo(2));
        given().get("/api/datasets/{id}/versions", id)
                .then().statusCode(200)
                .body("version", contains(1, 2))
                .body("[0].format", equalTo("preference"))
                .body("[0].counts.train", equalTo(7));
    }

    @Test
    void anUnknownDatasetOrVersionIsAProblemNamingIt() {
        String id = uniqueId("ds-404");
        given().get("/api/datasets/{id}/versions", id)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("'" + id + "'"));
        insert(id, 1, 3);
        given().get("/api/datasets/{id}/versions/{n}", id, 2)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("has no version 2; its versions are [1, 3]"));
        given().get("/api/datasets/{id}/versions/{n}", "nope-" + id, 1)
                .then().statusCode(404)
                .body("detail", containsString("No dataset with id 'nope-" + id + "'"));
        given().get("/api/datasets/{id}/versions/{n}", id, "latest")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }

    private void insert(String id, int... versionNumbers) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int n : versionNumbers) {
                DatasetVersionEntity v = new DatasetVersionEntity();
                v.datasetId = id;
                v.version = n;
                v.format = "preference";
                v.counts = "{\"input\":9,\"train\":7,\"eval\":1,\"rejected\":1}";
                v.manifestUri = "s3://tuneforge/datasets/" + id + "/v" + n + "/manifest.json";
                v.eventId = "evt-" + id + "-" + n;
                v.createdAt = Instant.parse("2026-02-0" + n + "T00:00:00Z");
                versions.persist(v);
            }
        });
    }
}
