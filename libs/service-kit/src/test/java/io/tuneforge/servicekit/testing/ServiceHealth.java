package io.tuneforge.servicekit.testing;

import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * What every service's {@code HealthTest} asserts about the surface operators rely on, in one place. Call from a
 * {@code @QuarkusTest} (RestAssured is pointed at the running service).
 */
public final class ServiceHealth {

    private ServiceHealth() {
    }

    /**
     * {@code /q/health/ready} is 200 UP, with the service-kit "Object store" check UP, SmallRye's Reactive Messaging
     * check present and each of {@code moreChecksUp} (a service's own checks, by name) UP.
     *
     * @return the response, for a service's further assertions
     */
    public static ValidatableResponse assertReady(String... moreChecksUp) {
        ValidatableResponse ready = given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("Object store"))
                .body("checks.find { it.name == 'Object store' }.status", is("UP"))
                .body("checks.name", hasItem(containsString("Reactive Messaging")));
        for (String check : moreChecksUp) {
            ready.body("checks.find { it.name == '" + check + "' }.status", is("UP"));
        }
        return ready;
    }

    /** Prometheus metrics (with the JVM's) and the OpenAPI document are served. */
    public static void assertMetricsAndOpenApiServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
