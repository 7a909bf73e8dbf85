package io.tuneforge.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports: pick a free one, check a fixed one, wait until one answers. */
public final class Ports {

    /** Every local server binds here only. */
    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** Ports this JVM handed out: the kernel may offer a just-closed port again, e.g. Kafka's broker and controller. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A port that was free a moment ago on {@link #HOST}, never one this JVM handed out before. */
    public static int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new LocalStackException("Could not find a free port on " + HOST + ": " + e.getMessage(), e);
            }
        }
        throw new LocalStackException("Could not find a port on " + HOST + " that this JVM has not handed out already");
    }

    /**
     * The port to use for a server: {@code 0} means any free port; any other value must be in
     * 1..65535 and free on {@link #HOST}.
     *
     * @param what the server, for the error message (e.g. "Kafka")
     */
    public static int resolve(int requested, String what) {
        if (requested == 0) {
            return free();
        }
        if (requested < 0 || requested > 65_535) {
            throw new IllegalArgumentException(what + " port must be 0 (any free port) or 1..65535, got " + requested);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, requested), 1);
            return requested;
        } catch (IOException e) {
            throw new LocalStackException(what + " port " + requested + " on " + HOST
                    + " is already in use; stop what holds it, or choose another port (0 = any free port)", e);
        }
    }

    /** Whether something accepts TCP connections on {@link #HOST}:{@code port}. */
    public static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sleeps for a short poll interval; keeps the interrupt flag. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while waiting for a local server", e);
        }
    }
}
