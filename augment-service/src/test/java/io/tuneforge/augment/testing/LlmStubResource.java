package io.tuneforge.augment.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A real HTTP server (WireMock) standing in for the OpenAI-compatible API, on a free port of 127.0.0.1, for the whole
 * test run; augment-service is pointed at it. Tests program it through its admin API ({@link LlmStub}), which works
 * from any class loader.
 */
public class LlmStubResource implements QuarkusTestResourceLifecycleManager {

    static final String PORT_PROPERTY = "tuneforge.test.llm-stub.port";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(12)
                .jettyAcceptors(1));
        server.start();
        System.setProperty(PORT_PROPERTY, String.valueOf(server.port()));
        return Map.of("tuneforge.augment.llm.base-url", "http://127.0.0.1:" + server.port() + "/v1",
                "tuneforge.augment.llm.api-key", LlmStub.API_KEY);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
