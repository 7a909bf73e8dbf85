package io.tuneforge.cli.platform;

import io.tuneforge.launcher.ServiceProcess;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Quick looks at a port or a service: is the port free, does something listen, what does its health say. */
final class Probe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Probe() {
    }

    /**
     * @throws IllegalStateException when another process holds {@code port} on 127.0.0.1, naming the port, its use
     *                               and the way around it
     */
    static void ensureFree(int port, String use) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " (" + use + ") on 127.0.0.1 is in use by another"
                    + " process. Stop that process (`ss -ltnp 'sport = :" + port + "'` names it), or start the"
                    + " platform on other ports: `tuneforge up --port-offset 100` adds 100 to every port (the client"
                    + " commands find the addresses in .tuneforge/platform.env)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot check port " + port + " (" + use + "): " + e.getMessage(), e);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code UP} when {@code /q/health/ready} answers 200, else {@code DOWN} (503, no answer). */
    static String health(String baseUrl) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + ServiceProcess.READY_PATH))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? "UP" : "DOWN";
        } catch (IOException e) {
            return "DOWN";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "DOWN";
        }
    }
}
