package io.tuneforge.cli.datasets;

import picocli.CommandLine.Option;

import java.net.URI;

/** {@code --url}: where data-service answers; {@code TUNEFORGE_DATA_URL} or http://localhost:8081 by default. */
public final class ServiceUrl {

    static final String DEFAULT = "http://localhost:8081";

    @Option(names = "--url", paramLabel = "URL",
            description = "data-service address. Default: $TUNEFORGE_DATA_URL or " + DEFAULT + ".")
    String url;

    DataServiceClient client() {
        String u = url != null ? url : System.getenv().getOrDefault("TUNEFORGE_DATA_URL", DEFAULT);
        URI uri = URI.create(u);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("--url must be an http(s) address such as " + DEFAULT + ", got '" + u
                    + "'");
        }
        return new DataServiceClient(uri);
    }
}
