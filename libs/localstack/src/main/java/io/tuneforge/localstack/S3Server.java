package io.tuneforge.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;

/**
 * An S3-compatible server: S3Proxy over the local file system, run as a child JVM.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.start()) {
 *     MinioClient client = MinioClient.builder().endpoint(s3.endpoint())
 *             .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build();
 * }
 * }</pre>
 *
 * <p>Why a child JVM: S3Proxy brings Guice, Jetty and logback, which clash with the Quarkus test
 * class path (see shared/notes/infra-verified.md). The child uses this JVM's {@code java}, about
 * 160 MiB of memory, starts in 2–6 s, logs at WARN into {@link #logFile()}, and is killed on
 * {@link #close()} and when this JVM exits. Each server gets fresh random credentials unless the
 * builder is given some; authorization is AWS signature v2 or v4, path-style addressing. Objects
 * live under {@link #dataDir()} (one directory per bucket): temporary and deleted on close, unless
 * the builder names a directory, which is kept.
 */
public final class S3Server implements S3Instance {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final boolean deleteData;
    private final Path workDir;
    private final String accessKey;
    private final String secretKey;
    private final CloseOnExit closer;

    private S3Server(Process process, int port, Path dataDir, boolean deleteData, Path workDir,
                     String accessKey, String secretKey) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteData = deleteData;
        this.workDir = workDir;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.closer = new CloseOnExit("tuneforge-s3proxy-shutdown", this::stop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server on a free port with a temporary data directory and fresh credentials. */
    public static S3Server start() {
        return builder().start();
    }

    @Override
    public String endpoint() {
        return "http://" + Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public String accessKey() {
        return accessKey;
    }

    @Override
    public String secretKey() {
        return secretKey;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Standard output and error of the child JVM (WARN and above). */
    public Path logFile() {
        return workDir.resolve("s3proxy.log");
    }

    /** The child JVM, e.g. to check {@code isAlive()}. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Kills the child JVM, waits for it, and deletes temporary files. */
    @Override
    public void close() {
        closer.close();
    }

    private void stop() {
        destroy(process);
        FileUtils.deleteQuietly(workDir.toFile());
        if (deleteData) {
            FileUtils.deleteQuietly(dataDir.toFile());
        }
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint() + ", accessKey=" + accessKey + ", dataDir=" + dataDir + "]";
    }

    private static void destroy(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Settings for {@link S3Server}; every one has a working default. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private String accessKey;
        private String secretKey;
        private Path jar;
        private Duration startTimeout = Duration.ofSeconds(60);
        private List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        private Builder() {
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Keep objects here (one sub-directory per bucket); default: a temporary directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Fixed credentials instead of fresh random ones. */
        public Builder credentials(String accessKey, String secretKey) {
            if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("S3 access key and secret key must both be non-blank");
            }
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /** The S3Proxy jar-with-dependencies; default: {@link S3ProxyJar#locate()}. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Options of the child JVM; default {@code -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}. */
        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = List.copyOf(jvmOptions);
            return this;
        }

        public S3Server start() {
            Path proxyJar = jar != null ? jar : S3ProxyJar.locate();
            int serverPort = Ports.resolve(port, "S3");
            String key = accessKey != null ? accessKey : Credentials.accessKey();
            String secret = secretKey != null ? secretKey : Credentials.secretKey();
            boolean temporary = dataDir == null;
            Path work = null;
            Path data = null;
            Process process = null;
            try {
                work = Files.createTempDirectory("tuneforge-s3proxy-");
                // An absolute base directory: a relative one breaks multipart completion (InvalidPart).
                data = temporary ? Files.createTempDirectory("tuneforge-s3-") : Files.createDirectories(dataDir.toAbsolutePath());
                Path config = writeConfig(work, serverPort, data, key, secret);
                process = launch(proxyJar, config, work.resolve("s3proxy.log"));
                awaitReady(process, serverPort, work.resolve("s3proxy.log"));
                return new S3Server(process, serverPort, data, temporary, work, key, secret);
            } catch (IOException | RuntimeException e) {
                if (process != null) {
                    destroy(process);
                }
                String log = work == null ? "" : tail(work.resolve("s3proxy.log"));
                if (work != null) {
                    FileUtils.deleteQuietly(work.toFile());
                }
                if (temporary && data != null) {
                    FileUtils.deleteQuietly(data.toFile());
                }
                throw new LocalStackException("S3 server (S3Proxy " + proxyJar.getFileName() + ") did not start on "
                        + Ports.HOST + ":" + serverPort + ": " + e.getMessage() + log, e);
            }
        }

        private static Path writeConfig(Path work, int port, Path data, String key, String secret) throws IOException {
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", "http://" + Ports.HOST + ":" + port);
            p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            p.setProperty("s3proxy.identity", key);
            p.setProperty("s3proxy.credential", secret);
            p.setProperty("jclouds.provider", "filesystem-nio2");
            p.setProperty("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
            // jclouds requires these although the file-system provider ignores them
            p.setProperty("jclouds.identity", "local");
            p.setProperty("jclouds.credential", "local");
            Path config = work.resolve("s3proxy.conf");
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(config)) {
                p.store(out, "TuneForge local S3 server (holds its credentials: owner-only)");
            }
            return config;
        }

        private Process launch(Path proxyJar, Path config, Path log) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(proxyJar.toString());
            command.add("--properties");
            command.add(config.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("LOG_LEVEL", "warn");
            return builder.start();
        }

        /** Ready when S3Proxy answers HTTP (any status: an anonymous request gets 403). */
        private void awaitReady(Process process, int port, Path log) {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new LocalStackException("the child JVM exited with status " + process.exitValue());
                }
                if (answersHttp(port)) {
                    return;
                }
                Ports.pause(POLL);
            }
            throw new LocalStackException("no HTTP answer within " + startTimeout.toSeconds() + " s (log: " + log + ")");
        }

        private static boolean answersHttp(int port) {
            HttpURLConnection connection = null;
            try {
                connection = (HttpURLConnection) new URL("http://" + Ports.HOST + ":" + port + "/").openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                return connection.getResponseCode() > 0;
            } catch (IOException e) {
                return false;
            } finally {
                if (connection != null) {
                    connection.disconnect();
                }
            }
        }

        private static String javaBinary() {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            if (Files.isExecutable(java)) {
                return java.toString();
            }
            return ProcessHandle.current().info().command()
                    .orElseThrow(() -> new LocalStackException("Cannot find the java binary of this JVM under "
                            + System.getProperty("java.home") + "; set java.home to a JDK or JRE"));
        }

        private static String tail(Path log) {
            try {
                if (!Files.exists(log)) {
                    return "";
                }
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                List<String> last = lines.subList(Math.max(0, lines.size() - 20), lines.size());
                return last.isEmpty() ? "" : "\n--- S3Proxy output (last lines) ---\n" + String.join("\n", last);
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
