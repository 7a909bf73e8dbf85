package io.tuneforge.cli.datasets;

import io.tuneforge.cli.client.PlatformSettings;
import picocli.CommandLine.Option;

import java.net.URI;

/**
 * {@code --url}: where data-service answers; else {@code TUNEFORGE_DATA_URL}, else {@code .tuneforge/platform.env},
 * else http://127.0.0.1:8081 ({@link PlatformSettings}).
 */
public final class ServiceUrl {

    @Option(names = "--url", paramLabel = "URL", description = "data-service address. Default: $"
            + PlatformSettings.DATA_URL + ", else .tuneforge/platform.env, else http://127.0.0.1:8081.")
    String url;

    DataServiceClient client() {
        String u = PlatformSettings.load().serviceUrl(PlatformSettings.DATA_URL, url);
        URI uri = URI.create(u);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("--url must be an http(s) address such as http://127.0.0.1:8081, got '"
                    + u + "'");
        }
        return new DataServiceClient(uri);
    }
}
